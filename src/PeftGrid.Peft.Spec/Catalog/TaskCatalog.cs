namespace PeftGrid.Peft.Catalog;

/// <summary>
/// The tasks PeftGrid knows by name (PAPER.md §3.1): the one list the grid parser, the scheduler and the trainer look
/// up. Data folders follow <c>../shared/data</c>'s layout.
/// </summary>
public static class TaskCatalog
{
    /// <summary>SST-2: binary sentiment, 0 = negative, 1 = positive; dev accuracy.</summary>
    public static TaskEntry Sst2 { get; } = new()
    {
        Name = "sst2", Aliases = ["sst-2"], Kind = TaskKind.Classification,
        Folder = "glue/SST-2", TrainFile = "train.tsv", EvalFile = "dev.tsv", Labels = ["negative", "positive"],
        Objective = TaskObjective.CrossEntropy, Metrics = ["accuracy"], PrimaryMetric = "accuracy", Runnable = true,
    };

    /// <summary>MNLI evaluated on dev-matched: 3-way NLI, 0 = entailment, 1 = neutral, 2 = contradiction; dev accuracy.</summary>
    public static TaskEntry Mnli { get; } = new()
    {
        Name = "mnli", Kind = TaskKind.Classification,
        Folder = "glue/MNLI", TrainFile = "train.tsv", EvalFile = "dev_matched.tsv", Labels = ["entailment", "neutral", "contradiction"],
        Objective = TaskObjective.CrossEntropy, Metrics = ["accuracy"], PrimaryMetric = "accuracy", Runnable = true,
    };

    /// <summary>MNLI evaluated on dev-mismatched (same training split as <see cref="Mnli"/>).</summary>
    public static TaskEntry MnliMismatched { get; } = Mnli with { Name = "mnli-mm", EvalFile = "dev_mismatched.tsv" };

    /// <summary>XSum summarization (BART-large in the paper): ROUGE-1/2/L, selected by ROUGE-2. Not runnable yet.</summary>
    public static TaskEntry XSum { get; } = new()
    {
        Name = "xsum", Kind = TaskKind.Seq2Seq, Folder = "xsum", TrainFile = "train.jsonl", EvalFile = "validation.jsonl",
        Objective = TaskObjective.TokenCrossEntropy, Metrics = ["rouge1", "rouge2", "rougeL"], PrimaryMetric = "rouge2", Runnable = false,
    };

    /// <summary>WMT16 English→Romanian (mBART-large-cc25 in the paper): BLEU. Not runnable yet.</summary>
    public static TaskEntry Wmt16EnRo { get; } = new()
    {
        Name = "wmt16-en-ro", Kind = TaskKind.Seq2Seq, Folder = "wmt16-ro-en", TrainFile = "train.jsonl", EvalFile = "validation.jsonl",
        Objective = TaskObjective.TokenCrossEntropy, Metrics = ["bleu"], PrimaryMetric = "bleu", Runnable = false,
    };

    /// <summary>Every catalog task, in the order error messages list them.</summary>
    public static IReadOnlyList<TaskEntry> All { get; } = [Sst2, Mnli, MnliMismatched, XSum, Wmt16EnRo];

    /// <summary>What a task may be, for error messages: the names with their aliases in brackets.</summary>
    public static string Allowed { get; } = CatalogNames.List(All.Select(t => (t.Name, t.Aliases)));

    private static readonly IReadOnlyDictionary<string, TaskEntry> ByName = CatalogNames.Index(All, t => t.Name, t => t.Aliases);

    /// <summary>The entry named <paramref name="name"/> or one of its aliases (trimmed, case-insensitive), or null.</summary>
    public static TaskEntry? TryFind(string? name) => ByName.GetValueOrDefault(CatalogNames.Key(name));

    /// <summary>The entry named <paramref name="name"/> or one of its aliases (trimmed, case-insensitive).</summary>
    /// <exception cref="ArgumentException">Unknown task; the message lists the allowed values.</exception>
    public static TaskEntry Find(string name) => TryFind(name) ?? throw new ArgumentException($"unknown task '{name}'; allowed: {Allowed}");

    /// <summary>The canonical name of a task: the catalog name for a name or alias, else <paramref name="task"/> trimmed and lower-cased.</summary>
    public static string Canonical(string task) => TryFind(task)?.Name ?? CatalogNames.Key(task);
}
