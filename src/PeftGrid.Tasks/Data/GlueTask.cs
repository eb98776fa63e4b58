using PeftGrid.Peft.Catalog;

namespace PeftGrid.Tasks.Data;

/// <summary>
/// The reader-side details of a GLUE classification task of <see cref="TaskCatalog"/>: the TSV columns (found by
/// header name) and how the TSV spells each label. Name, folder, split files and label set come from its
/// <see cref="Entry"/>.
/// </summary>
public sealed record GlueTask
{
    /// <summary>The task's catalog entry.</summary>
    public required TaskEntry Entry { get; init; }
    /// <summary>Header name of the first-sentence column.</summary>
    public required string TextColumn { get; init; }
    /// <summary>Header name of the second-sentence column; null for single-sentence tasks.</summary>
    public string? TextPairColumn { get; init; }
    /// <summary>Header name of the label column.</summary>
    public required string LabelColumn { get; init; }
    /// <summary>Label text as written in the TSV → label id (the index in <see cref="TaskEntry.Labels"/>).</summary>
    public required IReadOnlyDictionary<string, int> Labels { get; init; }

    /// <summary>Canonical task name (<c>sst2</c>, <c>mnli</c>).</summary>
    public string Name => Entry.Name;
    /// <summary>Folder under the data root, e.g. <c>glue/SST-2</c>.</summary>
    public string Folder => Entry.FolderPath;
    /// <summary>Training split file name (<c>train.tsv</c>).</summary>
    public string TrainFile => Entry.TrainFile;
    /// <summary>Evaluation split file name (<c>dev.tsv</c>, <c>dev_matched.tsv</c>).</summary>
    public string DevFile => Entry.EvalFile;
    /// <summary>Number of classes.</summary>
    public int NumLabels => Entry.Labels.Count;

    /// <summary>SST-2: <c>sentence</c>, <c>label</c>; the TSV writes the label ids <c>0</c>, <c>1</c>.</summary>
    public static GlueTask Sst2 { get; } = new()
    {
        Entry = TaskCatalog.Sst2, TextColumn = "sentence", LabelColumn = "label",
        Labels = new Dictionary<string, int> { ["0"] = 0, ["1"] = 1 },
    };

    /// <summary>MNLI: <c>sentence1</c>, <c>sentence2</c>, <c>gold_label</c>; the TSV writes the label names.</summary>
    public static GlueTask Mnli { get; } = new()
    {
        Entry = TaskCatalog.Mnli, TextColumn = "sentence1", TextPairColumn = "sentence2", LabelColumn = "gold_label",
        Labels = TaskCatalog.Mnli.Labels.Select((name, id) => (name, id)).ToDictionary(l => l.name, l => l.id),
    };

    /// <summary>MNLI evaluated on <c>dev_mismatched.tsv</c> (same columns and training split as <see cref="Mnli"/>).</summary>
    public static GlueTask MnliMismatched { get; } = Mnli with { Entry = TaskCatalog.MnliMismatched };

    /// <summary>The readers of this build, one per runnable classification task of the catalog.</summary>
    public static IReadOnlyList<GlueTask> All { get; } = [Sst2, Mnli, MnliMismatched];

    /// <summary>Looks a task up by name or alias (case-insensitive; <c>sst-2</c> is <c>sst2</c>).</summary>
    /// <exception cref="ArgumentException">Unknown task (the message lists the catalog's), or a catalog task that is not GLUE classification.</exception>
    public static GlueTask Find(string name)
    {
        var entry = TaskCatalog.Find(name);
        return All.FirstOrDefault(t => ReferenceEquals(t.Entry, entry))
            ?? throw new ArgumentException($"task '{entry.Name}' ({entry.Kind}) is not a GLUE classification task; GLUE tasks: {string.Join(", ", All.Select(t => t.Name))}");
    }
}
