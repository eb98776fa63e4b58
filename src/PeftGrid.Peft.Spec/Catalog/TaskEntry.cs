namespace PeftGrid.Peft.Catalog;

/// <summary>What a task asks a model to produce.</summary>
public enum TaskKind
{
    /// <summary>One label per input (sentence or sentence pair): an encoder with a classification head.</summary>
    Classification,
    /// <summary>An output text per input text (summarization, translation): an encoder-decoder generating tokens.</summary>
    Seq2Seq,
}

/// <summary>The training loss of a task.</summary>
public enum TaskObjective
{
    /// <summary>Cross-entropy of the head's logits [B, labels] against the gold label.</summary>
    CrossEntropy,
    /// <summary>Per-token cross-entropy of the decoder's logits [B, T, vocab] against the target tokens (teacher forcing), with the
    /// task's label smoothing.</summary>
    TokenCrossEntropy,
}

/// <summary>
/// One task of <see cref="TaskCatalog"/>: its names, kind, where its data lives under the data root, its labels,
/// objective and metrics (PAPER.md §3.1, §3.3), and whether this build can train it. Torch-free; the reader-side
/// details (TSV columns, label spellings) belong to the trainer's reader, keyed by this entry.
/// </summary>
public sealed record TaskEntry
{
    /// <summary>Canonical name, used in cells, results and leaderboards (<c>sst2</c>).</summary>
    public required string Name { get; init; }
    /// <summary>Other names accepted for it, lower case (<c>sst-2</c>).</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];
    /// <summary>Classification or seq2seq.</summary>
    public required TaskKind Kind { get; init; }
    /// <summary>Folder under the data root, <c>/</c>-separated (<c>glue/SST-2</c>).</summary>
    public required string Folder { get; init; }
    /// <summary>Training split file in <see cref="Folder"/> (<c>train.tsv</c>).</summary>
    public required string TrainFile { get; init; }
    /// <summary>Evaluation split file in <see cref="Folder"/> (<c>dev.tsv</c>, <c>dev_matched.tsv</c>, <c>validation.jsonl</c>).</summary>
    public required string EvalFile { get; init; }
    /// <summary>Label names in id order (HF label ids); empty for seq2seq tasks.</summary>
    public IReadOnlyList<string> Labels { get; init; } = [];
    /// <summary>The training loss.</summary>
    public required TaskObjective Objective { get; init; }
    /// <summary>Metrics reported on the evaluation split (higher is better for every one).</summary>
    public required IReadOnlyList<string> Metrics { get; init; }
    /// <summary>The metric that ranks results and selects the best epoch (<c>accuracy</c>, <c>rouge2</c>, <c>bleu</c>).</summary>
    public required string PrimaryMetric { get; init; }
    /// <summary>True if this build has a trainer for it.</summary>
    public required bool Runnable { get; init; }
    /// <summary>The dev metric that picks the best epoch (PAPER.md §3.5 "eval / selection"): <see cref="PrimaryMetric"/> unless
    /// set (en-ro selects by <c>loss</c>, then ranks by BLEU).</summary>
    public string? SelectionMetric { get; init; }
    /// <summary>True when a lower <see cref="SelectionMetric"/> is better (a loss); false for every score.</summary>
    public bool SelectionLowerIsBetter { get; init; }
    /// <summary>The metric that selects the best epoch: <see cref="SelectionMetric"/> or <see cref="PrimaryMetric"/>.</summary>
    public string Selection => SelectionMetric ?? PrimaryMetric;

    /// <summary>The folder as a path of this OS, relative to the data root.</summary>
    public string FolderPath => Path.Combine(Folder.Split('/'));
}
