using PeftGrid.Contracts.Trials;
using PeftGrid.Tasks.Runner;

namespace PeftGrid.Tasks.Pipeline;

/// <summary>The parts of a <see cref="TrialResult"/> every executor writes the same way.</summary>
internal static class TrialResults
{
    /// <summary>The cell's identity, the resolved method and its modifications when <paramref name="plan"/> is known, versions.</summary>
    public static TrialResult Base(TrialSpec spec, TrialPlan? plan) => new()
    {
        CellId = spec.CellId,
        Task = spec.Task,
        Model = spec.Model,
        Method = plan?.Config.Spec ?? spec.Method,
        Modifications = plan?.Modifications() ?? [],
        Seed = spec.Seed,
        BudgetTier = spec.BudgetPercent,
        Versions = RuntimeVersions.Get(),
    };

    /// <summary>A Failed result with <paramref name="reason"/> on one line.</summary>
    public static TrialResult Failed(TrialSpec spec, string reason, TimeSpan elapsed, TrialPlan? plan = null) => Base(spec, plan) with
    {
        Status = TrialStatus.Failed,
        Error = reason.ReplaceLineEndings(" "),
        TrainSeconds = elapsed.TotalSeconds,
    };
}
