using PeftGrid.Contracts.Grid;

namespace PeftGrid.Grains.Scheduler;

public sealed partial class SchedulerGrain
{
    /// <inheritdoc/>
    public Task<SweepStatus> GetStatusAsync(string sweepId) => Task.FromResult(StatusOf(Find(sweepId)));

    /// <inheritdoc/>
    public Task<IReadOnlyList<CellInfo>> GetCellsAsync(string sweepId)
    {
        var sweep = Find(sweepId);
        var now = leases.Now;
        IReadOnlyList<CellInfo> list = sweep.Record.CellIds.Select(table.Find).OfType<CellRecord>().Select(c => InfoOf(c, now)).ToList();
        return Task.FromResult(list);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<string>> ListSweepsAsync() => Task.FromResult<IReadOnlyList<string>>(table.Sweeps.Keys.Order(StringComparer.Ordinal).ToList());

    /// <inheritdoc/>
    public Task<IReadOnlyList<string>> ListBoardsAsync() => Task.FromResult<IReadOnlyList<string>>(table.Boards.ToList());

    /// <inheritdoc/>
    public Task<int> GetQueueDepthAsync() => Task.FromResult(table.Pending);

    private SweepCounters Find(string sweepId) =>
        table.Sweeps.TryGetValue(sweepId ?? "", out var sweep)
            ? sweep
            : throw new ArgumentException($"unknown sweep '{sweepId}' (known: {(table.Sweeps.Count == 0 ? "none" : string.Join(", ", table.Sweeps.Keys.Take(10)))})");

    private SweepStatus StatusOf(SweepCounters sweep)
    {
        var n = sweep.ByStatus;
        var live = workers.LiveCount(leases.Now);
        var (compute, remaining, eta) = CellQueries.Compute(sweep, table, leases, live);
        return new SweepStatus
        {
            SweepId = sweep.Record.Id, Name = sweep.Record.Name, Total = sweep.Members.Count,
            Pending = n[(int)CellStatus.Pending], Running = n[(int)CellStatus.Running], Succeeded = n[(int)CellStatus.Succeeded],
            Failed = n[(int)CellStatus.Failed], Cancelled = n[(int)CellStatus.Cancelled], Diverged = n[(int)CellStatus.Diverged],
            Interruptions = sweep.Interruptions, Lost = sweep.Lost,
            Refused = sweep.Record.Refused.Count, IsCancelled = sweep.Record.Cancelled, SubmittedAtUtc = sweep.Record.SubmittedAtUtc,
            MeanCellSeconds = sweep.WallCount == 0 ? 0 : sweep.WallSum / sweep.WallCount,
            Boards = sweep.Boards.ToList(),
            Waiting = Waiting(sweep),
            Workers = live,
            Tiers = CellQueries.Tiers(sweep), ComputeSeconds = compute, RemainingComputeSeconds = remaining, EtaSeconds = eta,
        };
    }

    /// <summary>The sweep's pending cells that no live worker can run, grouped by reason (one registry check per distinct need).</summary>
    private List<WaitingCells> Waiting(SweepCounters sweep)
    {
        var now = leases.Now;
        return sweep.PendingByNeed.Values
            .Select(p => (Reason: workers.Gap(p.Need, now), p.Cells))
            .Where(p => p.Reason is not null)
            .GroupBy(p => p.Reason!, StringComparer.Ordinal)
            .Select(g => new WaitingCells { Reason = g.Key, Cells = g.Sum(p => p.Cells) })
            .OrderByDescending(w => w.Cells).ThenBy(w => w.Reason, StringComparer.Ordinal)
            .ToList();
    }
}
