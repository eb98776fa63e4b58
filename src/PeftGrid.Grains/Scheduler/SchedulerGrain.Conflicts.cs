using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Storage;
using PeftGrid.Contracts.Grid;
using PeftGrid.Grains.Storage;

namespace PeftGrid.Grains.Scheduler;

public sealed partial class SchedulerGrain
{
    /// <summary>Write conflicts resolved in a row before a write gives up (and is retried by the next write).</summary>
    public const int MaxConflictRetries = 5;

    /// <summary>
    /// After a storage write conflict (another writer changed the head record or a chunk under this activation — an
    /// etag mismatch): re-reads the head record and every chunk from storage and merges them into memory, so the next
    /// write carries both. Every sweep and cell this activation acknowledged is re-applied (they keep their chunks);
    /// cells only storage knows are appended; a cell in both keeps the version further along (higher run, then
    /// Pending &lt; Running &lt; Cancelled &lt; finished with a result); sweeps are the union of both, with the union of their cells. The grain never
    /// deactivates on a conflict, so an acknowledged submission is never dropped by a reload. Every finished cell is then
    /// audited (its result re-read from storage) on the next tick.
    /// </summary>
    private async Task ResolveConflictAsync(Exception conflict)
    {
        logger.LogWarning("Scheduler state write conflict ({Error}); re-reading storage, merging and writing again", conflict.GetBaseException().Message);
        var mine = State;
        await store.ReadStateAsync();
        var theirs = store.State;
        store.State = mine;
        var storage = ServiceProvider.GetRequiredKeyedService<IGrainStorage>(GrainKeys.Storage);
        var fresh = new StateChunks<CellChunk>(storage, this.GetGrainId(), "scheduler-cells");
        await fresh.LoadAsync(Math.Max(theirs.ChunkCount, chunks.Count));

        var layout = Enumerable.Range(0, chunks.Count).Select(k => chunks[k].Cells).ToList();
        var extra = new List<CellRecord>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var now = leases.Now;
        for (var k = 0; k < fresh.Count; k++)
        {
            foreach (var stored in fresh[k].Cells)
            {
                if (stored.Id.Length == 0)
                {
                    stored.Id = stored.Spec.CellId;
                }
                if (!seen.Add(stored.Id))
                {
                    continue;
                }
                if (table.Find(stored.Id) is not { } cell)
                {
                    extra.Add(stored);
                }
                else if (Ahead(stored, cell) && !sink.Holds(cell.Id))
                {
                    TakeOver(cell, stored, now);
                }
            }
        }
        for (var k = 0; k < Math.Max(layout.Count, fresh.Count); k++)
        {
            if (k >= fresh.Count)
            {
                fresh.Add();
            }
            fresh[k].Cells = k < layout.Count ? layout[k] : [];
            fresh.MarkDirty(k);
        }
        chunks = fresh;
        foreach (var cell in extra)
        {
            AddCell(cell);
            dispatcher.Restore([cell], grace: false);
        }
        var joined = 0;
        foreach (var (id, their) in theirs.Sweeps)
        {
            if (!table.Sweeps.TryGetValue(id, out var counters))
            {
                var record = new SweepRecord { Id = id, Name = their.Name, SubmittedAtUtc = their.SubmittedAtUtc, Cancelled = their.Cancelled };
                mine.Sweeps[id] = record;
                counters = table.AddSweep(record);
            }
            foreach (var cellId in their.CellIds)
            {
                if (table.Find(cellId) is { } cell && CellTable.Join(counters, cell))
                {
                    joined++;
                }
            }
            var refused = counters.Record.Refused.Select(r => r.CellId).ToHashSet(StringComparer.Ordinal);
            counters.Record.Refused.AddRange(their.Refused.Where(r => !refused.Contains(r.CellId)));
        }
        metaDirty = true;
        // Storage changed under this activation (another writer, or a Redis that lost its data): the finished cells'
        // results may be gone too, so the next tick audits every one of them instead of waiting for AuditInterval.
        lastAuditUtc = DateTime.MinValue;
        logger.LogInformation("Scheduler state merged with storage: {Extra} cells and {Joined} sweep memberships only storage knew; auditing every finished cell", extra.Count, joined);
    }

    /// <summary>The stored version of a cell is further along than the one in memory: higher run, then later status
    /// (Pending, Running, Cancelled, finished with a result).</summary>
    private static bool Ahead(CellRecord stored, CellRecord mine) =>
        (Math.Max(1, stored.Run), Stage(stored.Status)).CompareTo((mine.Run, Stage(mine.Status))) > 0;

    private static int Stage(CellStatus status) => status switch
    {
        CellStatus.Pending => 0,
        CellStatus.Running => 1,
        CellStatus.Cancelled => 2,
        _ => 3, // finished with a result
    };

    /// <summary>Makes the in-memory cell the stored version (keeping the counters in step).</summary>
    private void TakeOver(CellRecord cell, CellRecord stored, DateTime now)
    {
        leases.Revoke(cell.Token);
        table.SetStatus(cell, stored.Status);
        cell.Run = Math.Max(1, stored.Run);
        cell.Attempts = stored.Attempts;
        table.SetInterruptions(cell, stored.Interruptions);
        cell.Error = stored.Error;
        cell.Worker = stored.Worker;
        cell.Token = stored.Token;
        cell.FinishedAtUtc = stored.FinishedAtUtc;
        cell.Ranked = stored.Ranked;
        cell.CancelRequested = stored.CancelRequested;
        (cell.LeasedAtUtc, cell.Score, cell.Metric) = (stored.LeasedAtUtc, stored.Score, stored.Metric);
        table.AddSpent(cell, stored.SpentSeconds - cell.SpentSeconds);
        CellTable.SetWall(cell, stored.WallSeconds);
        if (cell.Status == CellStatus.Pending)
        {
            table.Enqueue(cell, now);
            cell.Adoptable = true;
        }
        else if (cell.Status == CellStatus.Running)
        {
            dispatcher.Restore([cell], grace: false);
        }
    }
}
