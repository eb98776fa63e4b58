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
    /// <summary>AdamW β1.</summary>
    [Id(19)] public double Beta1 { get; init; }
    /// <summary>AdamW β2.</summary>
    [Id(20)] public double Beta2 { get; init; }
    /// <summary>AdamW ε.</summary>
    [Id(21)] public double Epsilon { get; init; }
    /// <summary>Label smoothing ε of the token cross-entropy (seq2seq; 0 for classification).</summary>
    [Id(22)] public double LabelSmoothing { get; init; }
    /// <summary>Learning rate the linear decay ends at (HF <c>polynomial</c> <c>lr_end</c>; 0 = decay to zero).</summary>
    [Id(23)] public double EndLearningRate { get; init; }
    /// <summary>The dev metric that picked the best epoch (<c>accuracy</c>, <c>rouge2</c>, <c>loss</c>) and whether lower was better.</summary>
    [Id(24)] public string SelectionMetric { get; init; } = "";
    /// <summary>True when a lower <see cref="SelectionMetric"/> was better (a loss).</summary>
    [Id(25)] public bool SelectionLowerIsBetter { get; init; }
    /// <summary>Seq2seq: maximum target tokens in training; null for classification.</summary>
    [Id(26)] public int? MaxTargetLength { get; init; }
    /// <summary>Seq2seq with dynamic batching: max padded tokens per training batch (max(source, target) per example); null when batching by sentences.</summary>
    [Id(27)] public int? MaxTokensPerBatch { get; init; }
    /// <summary>Dev value of <see cref="SelectionMetric"/> after each finished epoch (same as <see cref="EpochAccuracies"/> unless a
    /// task selects by another metric than it ranks by).</summary>
    [Id(28)] public IReadOnlyList<double> EpochSelectionScores { get; init; } = [];
    /// <summary>Rows of the split files left out, each as <c>file:line: reason</c> (bad JSON, a missing field, empty text), the
    /// first 20 listed; <see cref="DroppedRowCount"/> counts them all. Empty when every row was read.</summary>
    [Id(29)] public IReadOnlyList<string> DroppedRows { get; init; } = [];
    /// <summary>How many rows of the split files were left out (see <see cref="DroppedRows"/>).</summary>
    [Id(30)] public int DroppedRowCount { get; init; }
    /// <summary>The precision the trial trained in (<see cref="TrainingPrecisions.Name"/>: <c>fp32</c>, <c>bf16</c>, <c>fp16</c>).</summary>
    [Id(31)] public string Precision { get; init; } = "fp32";
    /// <summary>True when the frozen base was stored in the training precision's dtype (<see cref="TrainingProfile.LowPrecisionBase"/>).</summary>
    [Id(32)] public bool LowPrecisionBase { get; init; }
    /// <summary>fp16 only: optimizer steps skipped because the scaled gradients overflowed (dynamic loss scaling backs off and
    /// retries with the next batch; not a failure). 0 otherwise.</summary>
    [Id(33)] public long OverflowSkippedSteps { get; init; }
    /// <summary>fp16 only: the dynamic loss scale at the end of training; null otherwise.</summary>
    [Id(34)] public double? FinalLossScale { get; init; }
}
