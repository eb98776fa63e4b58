namespace PeftGrid.Tasks.Data;

/// <summary>
/// A GLUE classification task in its official TSV layout: folder, split files, the columns (found by
/// header name) and the label map (Hugging Face label ids).
/// </summary>
public sealed record GlueTask
{
    /// <summary>Short name used on the command line and in results (<c>sst2</c>, <c>mnli</c>).</summary>
    public required string Name { get; init; }
    /// <summary>Folder under the data root, e.g. <c>glue/SST-2</c>.</summary>
    public required string Folder { get; init; }
    /// <summary>Training split file name (<c>train.tsv</c>).</summary>
    public required string TrainFile { get; init; }
    /// <summary>Evaluation split file name (<c>dev.tsv</c>, <c>dev_matched.tsv</c>).</summary>
    public required string DevFile { get; init; }
    /// <summary>Header name of the first-sentence column.</summary>
    public required string TextColumn { get; init; }
    /// <summary>Header name of the second-sentence column; null for single-sentence tasks.</summary>
    public string? TextPairColumn { get; init; }
    /// <summary>Header name of the label column.</summary>
    public required string LabelColumn { get; init; }
    /// <summary>Label text as written in the TSV → label id.</summary>
    public required IReadOnlyDictionary<string, int> Labels { get; init; }

    /// <summary>Number of classes.</summary>
    public int NumLabels => Labels.Values.Distinct().Count();

    /// <summary>SST-2: <c>sentence</c>, <c>label</c>; 0 = negative, 1 = positive; dev = <c>dev.tsv</c>.</summary>
    public static GlueTask Sst2 { get; } = new()
    {
        Name = "sst2", Folder = Path.Combine("glue", "SST-2"), TrainFile = "train.tsv", DevFile = "dev.tsv",
        TextColumn = "sentence", LabelColumn = "label",
        Labels = new Dictionary<string, int> { ["0"] = 0, ["1"] = 1 },
    };

    /// <summary>MNLI: <c>sentence1</c>, <c>sentence2</c>, <c>gold_label</c>; 0 = entailment, 1 = neutral,
    /// 2 = contradiction (HF ids); dev = <c>dev_matched.tsv</c>.</summary>
    public static GlueTask Mnli { get; } = new()
    {
        Name = "mnli", Folder = Path.Combine("glue", "MNLI"), TrainFile = "train.tsv", DevFile = "dev_matched.tsv",
        TextColumn = "sentence1", TextPairColumn = "sentence2", LabelColumn = "gold_label",
        Labels = new Dictionary<string, int> { ["entailment"] = 0, ["neutral"] = 1, ["contradiction"] = 2 },
    };

    /// <summary>MNLI evaluated on <c>dev_mismatched.tsv</c> (same training split as <see cref="Mnli"/>).</summary>
    public static GlueTask MnliMismatched { get; } = Mnli with { Name = "mnli-mm", DevFile = "dev_mismatched.tsv" };

    /// <summary>The tasks this build can train, by name.</summary>
    public static IReadOnlyList<GlueTask> All { get; } = [Sst2, Mnli, MnliMismatched];

    /// <summary>Looks a task up by name (case-insensitive; <c>sst-2</c> is accepted for <c>sst2</c>).</summary>
    /// <exception cref="ArgumentException">Unknown task; the message lists the known ones.</exception>
    public static GlueTask Find(string name)
    {
        var key = name.Trim().ToLowerInvariant().Replace("sst-2", "sst2", StringComparison.Ordinal);
        return All.FirstOrDefault(t => t.Name == key)
            ?? throw new ArgumentException($"unknown task '{name}' (known: {string.Join(", ", All.Select(t => t.Name))})");
    }
}
