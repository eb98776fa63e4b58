using PeftGrid.Contracts.Grid;
using PeftGrid.Grains.Scheduler;
using Xunit;

namespace PeftGrid.Grains.Tests.Scheduler;

/// <summary>A storage conflict (another writer changes the scheduler's records under it) never loses an acknowledged submission.</summary>
[Collection(FaultClusterCollection.Name)]
public sealed class StorageConflictTests(FaultClusterFixture fx)
{
    [Fact]
    public async Task AConflictDuringASubmissionIsMergedAndNoAcknowledgedCellIsLostAfterAReload()
    {
        const string key = "conflict";
        var s = fx.Client.GetGrain<ISchedulerGrain>(key);
        var id = fx.Id<ISchedulerGrain>(key);
        var first = await s.SubmitAsync(new SweepRequest { SweepId = "s1", Cells = ClusterFixture.Cells("conflict-1", 5) });
        Assert.Equal(5, first.Added);

        // Another writer (e.g. a duplicate activation during a membership change) rewrites both records with its own view:
        // a sweep s0 with one cell of its own, and none of s1.
        var foreign = ClusterFixture.Cells("conflict-0", 1)[0];
        fx.Storage.ConflictOnNextWrite("scheduler-cells-0", id, _ => new CellChunk { Cells = [new CellRecord { Id = foreign.CellId, Spec = foreign }] });
        fx.Storage.ConflictOnNextWrite("scheduler", id, _ => new SchedulerState
        {
            ChunkCount = 1,
            Sweeps = { ["s0"] = new SweepRecord { Id = "s0", CellIds = [foreign.CellId] } },
        });
        var refusedBefore = fx.Storage.Refused;

        var second = await s.SubmitAsync(new SweepRequest { SweepId = "s2", Cells = ClusterFixture.Cells("conflict-2", 5) });

        Assert.Equal(5, second.Added);
        Assert.Equal(2, fx.Storage.Refused - refusedBefore); // both writes hit a conflict
        await fx.Cluster.DeactivateAsync(s);
        Assert.Equal(["s0", "s1", "s2"], await s.ListSweepsAsync());
        Assert.Equal((1, 5, 5), ((await s.GetStatusAsync("s0")).Total, (await s.GetStatusAsync("s1")).Total, (await s.GetStatusAsync("s2")).Total));
        Assert.Equal(11, await s.GetQueueDepthAsync());
    }

    [Fact]
    public async Task AStoredCellFurtherAlongWinsTheMerge()
    {
        const string key = "conflict-ahead";
        var s = fx.Client.GetGrain<ISchedulerGrain>(key);
        var id = fx.Id<ISchedulerGrain>(key);
        var cells = ClusterFixture.Cells(key, 2);
        await s.SubmitAsync(new SweepRequest { SweepId = key, Cells = cells });
        // The other writer finished cell 0 (its result is durable in the experiment grain).
        fx.Storage.ConflictOnNextWrite("scheduler-cells-0", id, stored =>
        {
            var chunk = (CellChunk)stored!;
            var done = chunk.Cells.Single(c => c.Id == cells[0].CellId);
            (done.Status, done.Attempts, done.FinishedAtUtc, done.Ranked) = (CellStatus.Succeeded, 1, DateTime.UtcNow, true);
            return chunk;
        });
        await fx.Client.GetGrain<IExperimentGrain>(cells[0].CellId).RecordAsync(cells[0], SchedulerParts.Result(cells[0], Contracts.Trials.TrialStatus.Succeeded), 1, 1);

        await s.CancelAsync(key); // a write: conflict, merge, write again

        var status = await s.GetStatusAsync(key);
        Assert.Equal((1, 1, 0), (status.Succeeded, status.Cancelled, status.Pending));
        await fx.Cluster.DeactivateAsync(s);
        status = await s.GetStatusAsync(key);
        Assert.Equal((1, 1), (status.Succeeded, status.Cancelled));
    }
}
