using PeftGrid.Contracts.Trials;

namespace PeftGrid.Grains.Runners;

/// <summary>The runner of a silo that has no trainer: runs nothing (its workers are leased no cell) and fails any cell with <see cref="Reason"/>.</summary>
public sealed class UnavailableTrialRunner(string reason) : ITrialRunner
{
    /// <summary>Why no trainer is available.</summary>
    public string Reason { get; } = reason;

    /// <inheritdoc/>
    public RunnerCapabilities Capabilities => RunnerCapabilities.None(Reason);

    /// <inheritdoc/>
    public string? Refusal(TrialSpec spec) => Reason;

    /// <inheritdoc/>
    public Task<TrialResult> RunAsync(TrialSpec spec, string device, IProgress<TrialProgress>? progress, CancellationToken cancellationToken) =>
        Task.FromResult(new TrialResult
        {
            CellId = spec.CellId, Task = spec.Task, Model = spec.Model, Method = spec.Method, Seed = spec.Seed,
            Status = TrialStatus.Failed, Error = Reason, BudgetTier = spec.BudgetPercent,
        });
}
