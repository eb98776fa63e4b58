using PeftGrid.Contracts.Trials;

namespace PeftGrid.Tasks.Training;

/// <summary>How a training run ended.</summary>
public enum TrainStatus
{
    /// <summary>All epochs done.</summary>
    Completed,
    /// <summary>The loss became NaN or infinite, or the gradient norm did in
    /// <see cref="TrainerOptions.MaxConsecutiveSkippedSteps"/> consecutive steps.</summary>
    Diverged,
    /// <summary>Cancelled by the caller.</summary>
    Cancelled,
}

/// <summary>The result of <see cref="Trainer.Train"/>.</summary>
public sealed record TrainOutcome
{
    /// <summary>How the run ended.</summary>
    public required TrainStatus Status { get; init; }
    /// <summary>Name of the task's primary metric (<see cref="Pipeline.ITaskData{TModel}.PrimaryMetric"/>, e.g. <c>accuracy</c>).</summary>
    public string PrimaryMetric { get; init; } = "";
    /// <summary>Name of the metric that picked the best epoch (<see cref="Pipeline.ITaskData{TModel}.SelectionMetric"/>).</summary>
    public string SelectionMetric { get; init; } = "";
    /// <summary>Dev value of the selection metric per finished epoch (accuracy in [0, 1] for classification).</summary>
    public required IReadOnlyList<double> EpochScores { get; init; }
    /// <summary>Every dev metric of each finished epoch, by name.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, double>> EpochMetrics { get; init; } = [];
    /// <summary>1-based best epoch by the selection metric (0 if no epoch finished).</summary>
    public int BestEpoch { get; init; }
    /// <summary>Dev value of the selection metric at the best epoch (NaN if none).</summary>
    public double BestScore { get; init; } = double.NaN;
    /// <summary>The result's metrics (empty if no epoch finished): the task's final evaluation on the best epoch's weights
    /// (<see cref="Pipeline.ITaskData{TModel}.FinalEvaluate"/>; by default that epoch's dev metrics).</summary>
    public IReadOnlyDictionary<string, double> BestMetrics { get; init; } = new Dictionary<string, double>();
    /// <summary>Training steps (batches) run, skipped ones included; a step whose loss was non-finite is not counted.</summary>
    public long Steps { get; init; }
    /// <summary>Steps whose update was skipped because the gradient norm was NaN/inf (<see cref="Trainer.GuardedStep"/>).</summary>
    public long SkippedSteps { get; init; }
    /// <summary>fp16 only: steps skipped because the unscaled gradients overflowed (<see cref="DynamicLossScale"/>); they are not in
    /// <see cref="SkippedSteps"/> and do not count toward <see cref="TrainerOptions.MaxConsecutiveSkippedSteps"/>.</summary>
    public long OverflowSkippedSteps { get; init; }
    /// <summary>fp16 only: the loss scale at the end of training (null otherwise).</summary>
    public double? FinalLossScale { get; init; }
    /// <summary>1-based step at which the run diverged: the step whose loss was non-finite, or the last of
    /// <see cref="TrainerOptions.MaxConsecutiveSkippedSteps"/> consecutive skipped steps (Diverged only).</summary>
    public long? DivergedAtStep { get; init; }
    /// <summary>Why the run diverged, one line (Diverged only).</summary>
    public string? DivergenceReason { get; init; }
    /// <summary>Wall time of training (evaluation excluded), seconds.</summary>
    public double TrainSeconds { get; init; }
    /// <summary>Wall time of training and evaluation, seconds.</summary>
    public double TotalSeconds { get; init; }
    /// <summary>Training examples processed per second of training time.</summary>
    public double ExamplesPerSecond { get; init; }
    /// <summary>Real (non-padding) training tokens per second of training time.</summary>
    public double TokensPerSecond { get; init; }
    /// <summary>Mean training loss of the last epoch run.</summary>
    public double FinalLoss { get; init; } = double.NaN;
    /// <summary>The training curve (<see cref="CurveRecorder"/>): loss per logging interval, every dev metric per evaluation, in order.</summary>
    public IReadOnlyList<CurvePoint> Curve { get; init; } = [];
}

/// <summary>Progress of a training run, reported after every step (applied or skipped).</summary>
/// <param name="Step">Steps done, skipped ones included.</param>
/// <param name="TotalSteps">Optimizer steps planned.</param>
/// <param name="Epoch">1-based current epoch.</param>
/// <param name="Loss">Mean loss over the last (up to) 20 steps.</param>
/// <param name="ExamplesPerSecond">Training throughput so far.</param>
/// <param name="LearningRate">Learning rate of the step just taken, for parameters at the peak rate (<see cref="TrainerOptions.LearningRate"/>;
/// roles with their own rate, <see cref="TrainerOptions.RoleLearningRates"/>, follow the same schedule).</param>
/// <param name="SkippedSteps">Steps skipped so far for a NaN/inf gradient norm.</param>
public sealed record TrainStepInfo(long Step, long TotalSteps, int Epoch, double Loss, double ExamplesPerSecond, double LearningRate,
    long SkippedSteps = 0);
