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

    /// <summary>XSum summarization (BART-large in the paper): ROUGE-1/2/L/Lsum (F × 100), ranked and selected by ROUGE-2.</summary>
    public static TaskEntry XSum { get; } = new()
    {
        Name = "xsum", Kind = TaskKind.Seq2Seq, Folder = "xsum", TrainFile = "train.jsonl", EvalFile = "validation.jsonl",
        Objective = TaskObjective.TokenCrossEntropy, Metrics = ["rouge1", "rouge2", "rougeL", "rougeLsum"], PrimaryMetric = "rouge2", Runnable = true,
    };

    /// <summary>WMT16 English→Romanian (mBART-large-cc25 in the paper): sacreBLEU (13a) and the paper's Romanian-pipeline BLEU,
    /// ranked by <c>bleu</c>, the best epoch selected by dev loss (PAPER.md §3.3, §3.5).</summary>
    public static TaskEntry Wmt16EnRo { get; } = new()
    {
        Name = "wmt16-en-ro", Kind = TaskKind.Seq2Seq, Folder = "wmt16-ro-en", TrainFile = "train.jsonl", EvalFile = "validation.jsonl",
        Objective = TaskObjective.TokenCrossEntropy, Metrics = ["bleu", "bleuPaper"], PrimaryMetric = "bleu", Runnable = true,
        SelectionMetric = "loss", SelectionLowerIsBetter = true,
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

    /// <summary>True when <paramref name="metric"/> is a fraction in [0, 1] (<c>accuracy</c>) that tables and plots show × 100 as a
    /// percentage; false for metrics already in points (ROUGE F × 100, BLEU 0–100) and for losses.</summary>
    public static bool IsFraction(string metric) => metric == "accuracy";

    /// <summary>A metric's value as tables and plots show it: × 100 for a fraction (<see cref="IsFraction"/>), as is otherwise.</summary>
    public static double Display(string metric, double value) => IsFraction(metric) ? 100 * value : value;

    /// <summary>The canonical name of a task: the catalog name for a name or alias, else <paramref name="task"/> trimmed and lower-cased.</summary>
    public static string Canonical(string task) => TryFind(task)?.Name ?? CatalogNames.Key(task);
}
