namespace PeftGrid.Tasks.Training;

/// <summary>
/// Optimization settings of one run. Defaults follow the paper's GLUE setting (PAPER.md §3.5: AdamW
/// β = (0.9, 0.98), ε = 1e-6, weight decay 0.1, warmup 6 %, max grad norm 1.0, batch 32).
/// </summary>
public sealed record TrainerOptions
{
    /// <summary>Epochs over the training examples (≥ 1).</summary>
    public int Epochs { get; init; } = 1;
    /// <summary>Sequences per batch.</summary>
    public int BatchSize { get; init; } = 32;
    /// <summary>Peak learning rate.</summary>
    public double LearningRate { get; init; } = 1e-4;
    /// <summary>
    /// Peak learning rates for parameters under a named module, by the module's name segment (e.g.
    /// <c>prefix_encoder</c> matches <c>…prefix_encoder.control_trans_0.weight</c>); every other parameter uses
    /// <see cref="LearningRate"/>. Each gets its own optimizer group and follows the same warmup/decay schedule.
    /// </summary>
    public IReadOnlyDictionary<string, double> ModuleLearningRates { get; init; } = new Dictionary<string, double>();
    /// <summary>Decoupled weight decay (not applied to biases and LayerNorm weights).</summary>
    public double WeightDecay { get; init; } = 0.1;
    /// <summary>Adam β1.</summary>
    public double Beta1 { get; init; } = 0.9;
    /// <summary>Adam β2.</summary>
    public double Beta2 { get; init; } = 0.98;
    /// <summary>Adam ε.</summary>
    public double Epsilon { get; init; } = 1e-6;
    /// <summary>Fraction of steps with linear warmup.</summary>
    public double WarmupRatio { get; init; } = 0.06;
    /// <summary>Gradient clipping: max global L2 norm; ≤ 0 disables clipping.</summary>
    public double MaxGradNorm { get; init; } = 1.0;
    /// <summary>Consecutive steps with a NaN/inf gradient norm (each skipped, no update) after which the run ends as
    /// diverged; ≥ 1. Isolated skips are counted and training goes on.</summary>
    public int MaxConsecutiveSkippedSteps { get; init; } = 10;
    /// <summary>Seed for data order (the caller seeds torch before building the model).</summary>
    public int Seed { get; init; } = 42;
    /// <summary>Evaluation batch size.</summary>
    public int EvalBatchSize { get; init; } = 128;
}
