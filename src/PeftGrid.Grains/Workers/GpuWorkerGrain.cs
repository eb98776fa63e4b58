using PeftGrid.Contracts.Grid;

namespace PeftGrid.Grains.Workers;

/// <summary>The registry entry of one device of one silo (see <see cref="IGpuWorkerGrain"/>); in memory only.</summary>
public sealed class GpuWorkerGrain : Grain, IGpuWorkerGrain
{
    private WorkerInfo? latest;

    /// <inheritdoc/>
    public Task ReportAsync(WorkerInfo info)
    {
        latest = info with { LastSeenUtc = DateTime.UtcNow };
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task<WorkerInfo?> GetAsync() => Task.FromResult(latest);
}
