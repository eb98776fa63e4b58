namespace PeftGrid.Contracts.Trials;

/// <summary>
/// How a trial was trained: the settings actually used and per-epoch details, the <c>training</c> object of
/// <c>result.json</c> (the same block whether the <c>train</c> command or a grid worker ran the trial). Filled by the trainer
/// when training started; null on a result that failed before training.
/// </summary>
[GenerateSerializer, Immutable, Alias("peftgrid.TrainingDetails")]
public sealed record TrainingDetails
{
    /// <summary>Peak learning rate (AdamW, linear warmup then linear decay to 0), of every parameter without a role rate.</summary>
    [Id(0)] public double LearningRate { get; init; }
    /// <summary>Peak learning rate of the prefix encoder (role PrefixEncoder); null when no prefix-encoder parameter trained.</summary>
    [Id(1)] public double? PrefixLearningRate { get; init; }
    /// <summary>Epochs planned over the training examples.</summary>
    [Id(2)] public int Epochs { get; init; }
    /// <summary>Training sequences per batch.</summary>
    [Id(3)] public int BatchSize { get; init; }
    /// <summary>Maximum tokens per example, special tokens included.</summary>
    [Id(4)] public int MaxLength { get; init; }
    /// <summary>Training examples used (after the profile's seeded subsample).</summary>
    [Id(5)] public int TrainExamples { get; init; }
    /// <summary>Evaluation examples scored each epoch.</summary>
    [Id(6)] public int EvalExamples { get; init; }
    /// <summary>Evaluation split, relative to the data root, e.g. <c>glue/SST-2/dev.tsv</c>.</summary>
    [Id(7)] public string EvalFile { get; init; } = "";
    /// <summary>Training steps (batches) run, skipped ones included.</summary>
    [Id(8)] public long Steps { get; init; }
    /// <summary>Dev value of the task's primary metric after each finished epoch (accuracy in [0, 1] for GLUE classification).</summary>
    [Id(9)] public IReadOnlyList<double> EpochAccuracies { get; init; } = [];
    /// <summary>Mean training loss of the last epoch run (cross-entropy, nats per example); null when not finite or no step ran.</summary>
    [Id(10)] public double? FinalTrainLoss { get; init; }
    /// <summary>Wall time of the training steps alone (evaluation, loading and tokenization excluded), seconds.</summary>
    [Id(11)] public double TrainOnlySeconds { get; init; }
    /// <summary>Real (non-padding) training tokens per second of <see cref="TrainOnlySeconds"/>.</summary>
    [Id(12)] public double TokensPerSecond { get; init; }
    /// <summary>Resident set size of the process when the trial started, bytes (the part of the peak memory that is not the trial's).</summary>
    [Id(13)] public long BaselineMemoryBytes { get; init; }
    /// <summary>libtorch intra-op threads used.</summary>
    [Id(14)] public int Threads { get; init; }
    /// <summary>AdamW decoupled weight decay of every trainable tensor of rank ≥ 2 (vectors and scalars: 0).</summary>
    [Id(15)] public double WeightDecay { get; init; }
    /// <summary>Fraction of the planned steps with linear learning-rate warmup.</summary>
    [Id(16)] public double WarmupRatio { get; init; }
    /// <summary>Global L2 gradient-norm clipping threshold; ≤ 0 means no clipping.</summary>
    [Id(17)] public double MaxGradNorm { get; init; }
    /// <summary>Consecutive steps with a NaN/inf gradient norm (each skipped) after which the trial ends as diverged.</summary>
    [Id(18)] public int MaxConsecutiveSkippedSteps { get; init; }
}
