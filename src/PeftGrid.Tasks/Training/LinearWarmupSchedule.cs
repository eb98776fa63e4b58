namespace PeftGrid.Tasks.Training;

/// <summary>
/// Linear warmup then linear decay to 0 (Hugging Face <c>get_linear_schedule_with_warmup</c>; the
/// paper's GLUE setting is a 6 % warmup, PAPER.md §3.5) or to a floor e (HF <c>get_polynomial_decay_schedule_with_warmup</c>,
/// power 1, <c>lr_end</c> = e·peak; the paper's seq2seq runs, warmup 0, lr_end 1e-7). The multiplier for optimizer step s
/// (0-based, the step about to be taken) is s/W for s &lt; W, else e + (1 − e)·max(0, (S − s)/(S − W)), with W = ⌈ratio·S⌉.
/// </summary>
public sealed class LinearWarmupSchedule
{
    /// <summary>Total optimizer steps S (≥ 1).</summary>
    public long TotalSteps { get; }
    /// <summary>Warmup steps W = ⌈ratio · S⌉.</summary>
    public long WarmupSteps { get; }

    /// <summary>The floor e of the decay as a fraction of the peak rate (0 = decay to zero).</summary>
    public double EndFraction { get; }

    /// <summary>Creates the schedule.</summary>
    /// <param name="totalSteps">S.</param>
    /// <param name="warmupRatio">Fraction of S with linear warmup.</param>
    /// <param name="endFraction">e: the decay's floor as a fraction of the peak rate, in [0, 1].</param>
    /// <exception cref="ArgumentException">S &lt; 1, the ratio outside [0, 1) or e outside [0, 1].</exception>
    public LinearWarmupSchedule(long totalSteps, double warmupRatio = 0.06, double endFraction = 0)
    {
        if (endFraction is < 0 or > 1 || double.IsNaN(endFraction))
        {
            throw new ArgumentException($"end learning rate must be between 0 and the peak rate (got {endFraction} of it)", nameof(endFraction));
        }
        EndFraction = endFraction;
        if (totalSteps < 1) throw new ArgumentException($"total steps must be at least 1 (got {totalSteps})", nameof(totalSteps));
        if (warmupRatio is < 0 or >= 1 || double.IsNaN(warmupRatio))
        {
            throw new ArgumentException($"warmup ratio must be in [0, 1) (got {warmupRatio})", nameof(warmupRatio));
        }
        TotalSteps = totalSteps;
        WarmupSteps = (long)Math.Ceiling(warmupRatio * totalSteps);
    }

    /// <summary>Learning-rate multiplier in [0, 1] for 0-based step <paramref name="step"/>.</summary>
    public double Factor(long step)
    {
        if (step < WarmupSteps) return (double)step / WarmupSteps;
        return EndFraction + (1 - EndFraction) * Math.Max(0.0, (double)(TotalSteps - step) / Math.Max(1, TotalSteps - WarmupSteps));
    }
}
