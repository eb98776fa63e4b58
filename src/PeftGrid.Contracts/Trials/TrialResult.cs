namespace PeftGrid.Contracts.Trials;

/// <summary>How a trial ended.</summary>
public enum TrialStatus
{
    /// <summary>Trained and evaluated.</summary>
    Succeeded,
    /// <summary>Could not run (bad spec, missing data, exception); <see cref="TrialResult.Error"/> says why.</summary>
    Failed,
    /// <summary>The loss became NaN or infinite, or the gradient norm did in too many consecutive steps;
    /// <see cref="TrialResult.DivergedAtStep"/> says when.</summary>
    Diverged,
    /// <summary>Cancelled before it finished.</summary>
    Cancelled,
}

/// <summary>One modification of a configuration as reported in results: the four design dimensions and its sizes.</summary>
[GenerateSerializer, Immutable, Alias("peftgrid.ModificationReport")]
public sealed record ModificationReport
{
    /// <summary>Preset part that produced it, e.g. <c>prefix</c>.</summary>
    [Id(0)] public required string Name { get; init; }
    /// <summary>Modified representation (attention, head-attention, ffn, …).</summary>
    [Id(1)] public required string ModifiedRepresentation { get; init; }
    /// <summary>Functional form of Δh.</summary>
    [Id(2)] public required string FunctionalForm { get; init; }
    /// <summary>Insertion form: sequential or parallel.</summary>
    [Id(3)] public required string InsertionForm { get; init; }
    /// <summary>Composition function: add, gated, scaled-add.</summary>
    [Id(4)] public required string CompositionFunction { get; init; }
    /// <summary>Sizes and options, e.g. <c>{"r": 16, "s": 2}</c>.</summary>
    [Id(5)] public IReadOnlyDictionary<string, double> Sizes { get; init; } = new Dictionary<string, double>();
}

/// <summary>The parameter budget of a configuration (DESIGN.md §3).</summary>
[GenerateSerializer, Immutable, Alias("peftgrid.BudgetReport")]
public sealed record BudgetReport
{
    /// <summary>Paper convention count (PAPER.md §1.15): 2ld per prefix, 2rd per adapter, 4rd/10rd per LoRA, ld per prompt.</summary>
    [Id(0)] public long PaperCount { get; init; }
    /// <summary>Parameters with requires_grad on the built model, task head excluded.</summary>
    [Id(1)] public long TrainableCount { get; init; }
    /// <summary>The pretrained model's parameter count (embeddings included, pooler and task head excluded).</summary>
    [Id(2)] public long TotalCount { get; init; }
    /// <summary>PaperCount / TotalCount × 100, in %.</summary>
    [Id(3)] public double Percent { get; init; }
}

/// <summary>The result of one cell (DESIGN.md §6 <c>result.json</c>).</summary>
[GenerateSerializer, Immutable, Alias("peftgrid.TrialResult")]
public sealed record TrialResult
{
    /// <summary>The cell id (<see cref="TrialSpec.CellId"/>).</summary>
    [Id(0)] public required string CellId { get; init; }
    /// <summary>Task name.</summary>
    [Id(1)] public required string Task { get; init; }
    /// <summary>Model name.</summary>
    [Id(2)] public required string Model { get; init; }
    /// <summary>Resolved method spec with solved sizes, e.g. <c>mam[l=12,r=12,s=2]</c>.</summary>
    [Id(3)] public required string Method { get; init; }
    /// <summary>The modifications (four design dimensions and sizes).</summary>
    [Id(4)] public IReadOnlyList<ModificationReport> Modifications { get; init; } = [];
    /// <summary>Parameter budget.</summary>
    [Id(5)] public BudgetReport Budget { get; init; } = new();
    /// <summary>Seed.</summary>
    [Id(6)] public int Seed { get; init; }
    /// <summary>Outcome.</summary>
    [Id(7)] public TrialStatus Status { get; init; }
    /// <summary>Metrics of the best epoch on the dev split, e.g. <c>accuracy</c> in [0, 1].</summary>
    [Id(8)] public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();
    /// <summary>Wall time of training and evaluation, seconds.</summary>
    [Id(9)] public double TrainSeconds { get; init; }
    /// <summary>Training throughput, examples per second.</summary>
    [Id(10)] public double ExamplesPerSecond { get; init; }
    /// <summary>Peak memory during the trial, bytes (process working set on CPU; device peak on CUDA).</summary>
    [Id(11)] public long PeakMemoryBytes { get; init; }
    /// <summary>Library versions (torchsharp, libtorch, peftgrid, dotnet).</summary>
    [Id(12)] public IReadOnlyDictionary<string, string> Versions { get; init; } = new Dictionary<string, string>();
    /// <summary>Failure reason for Failed / Diverged / Cancelled; null on success.</summary>
    [Id(13)] public string? Error { get; init; }
    /// <summary>1-based epoch whose dev metrics are reported.</summary>
    [Id(14)] public int BestEpoch { get; init; }
    /// <summary>Step at which the run diverged: the loss went non-finite, or the last of too many consecutive steps with a
    /// non-finite gradient norm (Diverged only).</summary>
    [Id(15)] public long? DivergedAtStep { get; init; }
    /// <summary>Budget tier this cell belongs to, in %; null when the cell used explicit sizes.</summary>
    [Id(16)] public double? BudgetTier { get; init; }
    /// <summary>The worker that ran the cell, e.g. <c>host/cpu:0</c>.</summary>
    [Id(17)] public string? Worker { get; init; }
    /// <summary>Training steps whose update was skipped because the gradient norm was NaN/inf (parameters and optimizer
    /// state left unchanged); DESIGN.md §6 <c>skippedSteps</c>.</summary>
    [Id(18)] public long SkippedSteps { get; init; }
    /// <summary>How the trial was trained (settings used, per-epoch dev metric, throughput); the <c>training</c> object of
    /// result.json. Null when the trial ended before training started.</summary>
    [Id(19)] public TrainingDetails? Training { get; init; }
    /// <summary>Seq2seq only: how the reported metrics were generated (decoding settings, metric signatures) and a few sample
    /// outputs; the <c>generation</c> object of result.json. Null for classification and for a trial that ended before evaluating.</summary>
    [Id(20)] public GenerationReport? Generation { get; init; }
    /// <summary>The training curve (loss per logging step, each dev metric per evaluation), in order; empty when not recorded.</summary>
    [Id(21)] public IReadOnlyList<CurvePoint> Curve { get; init; } = [];
}
