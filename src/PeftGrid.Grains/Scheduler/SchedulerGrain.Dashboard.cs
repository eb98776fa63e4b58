using PeftGrid.Contracts.Grid;

namespace PeftGrid.Grains.Scheduler;

public sealed partial class SchedulerGrain
{
    /// <inheritdoc/>
    public Task<IReadOnlyList<SweepStatus>> ListStatusesAsync() => Task.FromResult<IReadOnlyList<SweepStatus>>(table.Sweeps.Values
        .OrderByDescending(s => s.Record.SubmittedAtUtc).ThenBy(s => s.Record.Id, StringComparer.Ordinal)
        .Select(StatusOf)
        .ToList());

    /// <inheritdoc/>
    public Task<CellPage> QueryCellsAsync(string sweepId, CellQuery query)
    {
        var now = leases.Now;
        return Task.FromResult(CellQueries.Page(Find(sweepId), table, query, now, c => InfoOf(c, now)));
    }

    /// <inheritdoc/>
    public Task<CellInfo?> GetCellAsync(string cellId) =>
        Task.FromResult(table.Find(cellId ?? "") is { } cell ? InfoOf(cell, leases.Now) : null);

    /// <inheritdoc/>
    public Task<IReadOnlyList<WorkerStatus>> ListWorkersAsync()
    {
        var running = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var lease in leases.All.Values)
        {
            if (!running.TryGetValue(lease.WorkerId, out var cells))
            {
                running[lease.WorkerId] = cells = [];
            }
            cells.Add(lease.CellId);
        }
        IReadOnlyList<string> Running(string id) => running.TryGetValue(id, out var cells) ? cells.Order(StringComparer.Ordinal).ToList() : [];
        return Task.FromResult<IReadOnlyList<WorkerStatus>>(workers.List(leases.Now, Running));
    }

    /// <summary>The one mapping of a cell to <see cref="CellInfo"/> (with why a pending one waits).</summary>
    private CellInfo InfoOf(CellRecord cell, DateTime now) =>
        CellQueries.Info(cell, now, cell.Status == CellStatus.Pending ? workers.Gap(cell.Need, now) : null);
}
