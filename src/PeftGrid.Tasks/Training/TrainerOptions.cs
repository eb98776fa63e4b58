using PeftGrid.Contracts.Trials;
using PeftGrid.Peft.Adapters;
using static TorchSharp.torch;

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
    /// Peak learning rates by parameter role (<see cref="ParameterRole"/>), e.g. the prefix encoder at a tenth of the peak rate
    /// (<see cref="LearningRateDefaults.PrefixEncoderFactor"/>); every role not listed uses <see cref="LearningRate"/>. Each rate
    /// gets its own optimizer groups (<see cref="OptimizerFactory"/>) and follows the same warmup/decay schedule.
    /// </summary>
    public IReadOnlyDictionary<ParameterRole, double> RoleLearningRates { get; init; } = new Dictionary<ParameterRole, double>();
    /// <summary>Decoupled weight decay of every trainable tensor of rank ≥ 2 (never of vectors and scalars: biases, LayerNorm gains).</summary>
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
    /// <summary>Learning rate the linear decay ends at, in absolute units (HF <c>polynomial</c> schedule, power 1, <c>lr_end</c>;
    /// the paper's seq2seq runs: 1e-7). 0 = decay to zero (HF <c>linear</c>, GLUE). Roles with their own peak rate end at the same
    /// fraction of it.</summary>
    public double EndLearningRate { get; init; }
    /// <summary>Label smoothing ε of a token cross-entropy (PAPER.md §3.5: 0.1 for XSum and en-ro); read by the task's loss.</summary>
    public double LabelSmoothing { get; init; }
    /// <summary>Numeric precision (<see cref="TrainingPrecision"/>): <c>Fp32</c> (default) trains in float32; <c>Bf16</c>/<c>Fp16</c> run
    /// every forward pass (training loss and evaluation) under autocast in that dtype with float32 master parameters, and <c>Fp16</c>
    /// scales the loss dynamically (<see cref="DynamicLossScale"/>).</summary>
    public TrainingPrecision Precision { get; init; } = TrainingPrecision.Fp32;
    /// <summary>fp16 only: the first loss scale (GradScaler's <c>init_scale</c>, default 2^16); growth 2 every 2000 clean steps, backoff 0.5.</summary>
    public double InitialLossScale { get; init; } = 65536.0;
    /// <summary>The autocast dtype of <see cref="Precision"/>: BFloat16, Float16, or null for fp32 (no autocast).</summary>
    public ScalarType? AutocastDtype => AutocastDtypeOf(Precision);

    /// <summary>The autocast dtype of <paramref name="precision"/>: BFloat16, Float16, or null for fp32.</summary>
    public static ScalarType? AutocastDtypeOf(TrainingPrecision precision) => precision switch
    {
        TrainingPrecision.Bf16 => ScalarType.BFloat16,
        TrainingPrecision.Fp16 => ScalarType.Float16,
        _ => null,
    };
    /// <summary>Seed for data order (the caller seeds torch before building the model).</summary>
    public int Seed { get; init; } = 42;
}
