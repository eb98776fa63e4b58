using PeftGrid.Contracts.Grid;

namespace PeftGrid.Grains.Scheduler;

public sealed partial class SchedulerGrain
{
    /// <inheritdoc/>
    public Task<IReadOnlyList<SweepStatus>> ListStatusesAsync() => throw new NotImplementedException("issue 11: grid helper");

    /// <inheritdoc/>
    public Task<CellPage> QueryCellsAsync(string sweepId, CellQuery query) => throw new NotImplementedException("issue 11: grid helper");

    /// <inheritdoc/>
    public Task<CellInfo?> GetCellAsync(string cellId) => throw new NotImplementedException("issue 11: grid helper");

    /// <inheritdoc/>
    public Task<IReadOnlyList<WorkerStatus>> ListWorkersAsync() => throw new NotImplementedException("issue 11: grid helper");
}
