namespace PeftGrid.Contracts.Trials;

/// <summary>
/// The numeric precision a trial trains in (<see cref="TrainingProfile.Precision"/>). <see cref="Fp32"/>: everything in float32.
/// <see cref="Bf16"/> and <see cref="Fp16"/>: mixed precision — the forward pass under libtorch's autocast in that dtype (matmuls,
/// linears and attention in the low precision; reductions, losses and softmax as autocast decides), trainable parameters and
/// AdamW state kept as float32 master copies; <see cref="Fp16"/> adds dynamic loss scaling (an overflowing step is skipped and
/// counted, not a failure). bf16 runs on CPUs with AVX512_BF16 or AMX-BF16 and on CUDA; fp16 on CUDA and on CPUs with
/// AVX512_FP16 or AMX-FP16 (README "Precision").
/// </summary>
[GenerateSerializer]
public enum TrainingPrecision
{
    /// <summary>float32 throughout (the default).</summary>
    Fp32 = 0,
    /// <summary>bfloat16 autocast, float32 master weights and optimizer state.</summary>
    Bf16 = 1,
    /// <summary>float16 autocast, float32 master weights and optimizer state, dynamic loss scaling.</summary>
    Fp16 = 2,
}

/// <summary>The one parser and printer of <see cref="TrainingPrecision"/> names (<c>fp32</c>, <c>bf16</c>, <c>fp16</c>): profiles, the
/// CLI's <c>--precision</c>, grid files and results all use it.</summary>
public static class TrainingPrecisions
{
    /// <summary>The allowed names, in order.</summary>
    public static IReadOnlyList<string> Names { get; } = ["fp32", "bf16", "fp16"];

    /// <summary>The name of <paramref name="precision"/>: <c>fp32</c>, <c>bf16</c> or <c>fp16</c>.</summary>
    public static string Name(TrainingPrecision precision) => precision switch
    {
        TrainingPrecision.Fp32 => "fp32",
        TrainingPrecision.Bf16 => "bf16",
        TrainingPrecision.Fp16 => "fp16",
        _ => throw new ArgumentOutOfRangeException(nameof(precision), precision, "precision must be one of fp32, bf16, fp16"),
    };

    /// <summary>Parses a name (case-insensitive; <c>float32</c>, <c>bfloat16</c>, <c>float16</c> and <c>half</c> are accepted too).</summary>
    /// <exception cref="ArgumentException">Anything else: "precision must be one of fp32, bf16, fp16 (got '…')".</exception>
    public static TrainingPrecision Parse(string text) => text.Trim().ToLowerInvariant() switch
    {
        "fp32" or "float32" => TrainingPrecision.Fp32,
        "bf16" or "bfloat16" => TrainingPrecision.Bf16,
        "fp16" or "float16" or "half" => TrainingPrecision.Fp16,
        _ => throw new ArgumentException($"precision must be one of fp32, bf16, fp16 (got '{text}')"),
    };
}
