using PeftGrid.Contracts.Grid;
using PeftGrid.Contracts.Trials;
using Xunit;

namespace PeftGrid.Grains.Tests.Scheduler;

/// <summary>The scheduler's dashboard reads through the real grain API, on a scheduler of their own driven by manual workers.</summary>
[Collection(FaultClusterCollection.Name)]
public sealed class DashboardQueryTests(FaultClusterFixture fx)
{
    private static SweepRequest Sweep(string id, int cells, int leaseSeconds) => new()
    {
        SweepId = id,
        Cells = Enumerable.Range(0, cells).Select(i => new TrialSpec { Task = "sst2", Model = id, Method = "lora-attn", BudgetPercent = i == 0 ? null : 0.5, Seed = i }).ToList(),
        Policy = new FailurePolicy { LeaseSeconds = leaseSeconds },
    };

    [Fact]
    public async Task WorkersShowTheirRunningCellsLeaseExpiriesAndAcceptedResults()
    {
        var scheduler = fx.Client.GetGrain<ISchedulerGrain>($"dash-workers-{Guid.NewGuid():N}");
        var (a, b) = (new ManualWorker(scheduler, "silo-a/cpu:0"), new ManualWorker(scheduler, "silo-b/cuda:1"));
        await a.RegisterAsync();
        await b.RegisterAsync();
        await scheduler.SubmitAsync(Sweep("dash-workers", 3, leaseSeconds: 1));
        var lost = await a.LeaseOneAsync();
        var kept = await b.LeaseOneAsync();

        // a never heartbeats: its 1 s lease expires; b heartbeats and keeps its cell.
        IReadOnlyList<WorkerStatus> list = [];
        for (var deadline = DateTime.UtcNow.AddSeconds(20); DateTime.UtcNow < deadline; await Task.Delay(200))
        {
            await b.HeartbeatAsync(kept);
            list = await scheduler.ListWorkersAsync();
            if (list[0].LeaseExpiries == 1)
            {
                break;
            }
        }
        Assert.Equal(["silo-a/cpu:0", "silo-b/cuda:1"], list.Select(w => w.WorkerId));
        Assert.Equal(("silo-a", "cpu:0", 1, 0, true), (list[0].Silo, list[0].Device, list[0].LeaseExpiries, list[0].Running.Count, list[0].Live));
        Assert.Equal(("silo-b", "cuda:1", 0, true), (list[1].Silo, list[1].Device, list[1].LeaseExpiries, list[1].Live));
        Assert.Equal([kept.CellId], list[1].Running);

        Assert.Equal(CompletionOutcome.Accepted, await b.ReportAsync(kept, TrialStatus.Succeeded, 0.8));
        var after = await scheduler.ListWorkersAsync();
        Assert.Equal((0, 1, 0), (after[0].Accepted, after[1].Accepted, after[1].Running.Count));

        var done = (await scheduler.GetCellAsync(kept.CellId))!;
        Assert.Equal((CellStatus.Succeeded, 0.8, "accuracy", 0.1, "silo-b/cuda:1"), (done.Status, done.Score, done.Metric, done.Seconds, done.Worker));
        Assert.NotNull(done.StartedAtUtc);
        Assert.True(done.FinishedAtUtc >= done.StartedAtUtc);
        var requeued = (await scheduler.GetCellAsync(lost.CellId))!;
        Assert.Equal((CellStatus.Pending, 1, 0, 0.0), (requeued.Status, requeued.Interruptions, requeued.Attempts, requeued.Seconds));
        Assert.Null(await scheduler.GetCellAsync("no-such-cell"));
        var listed = (await scheduler.GetCellsAsync("dash-workers")).Single(c => c.CellId == kept.CellId);
        Assert.Equal((done.Score, done.Metric, done.Seconds, done.StartedAtUtc, done.FinishedAtUtc), (listed.Score, listed.Metric, listed.Seconds, listed.StartedAtUtc, listed.FinishedAtUtc));
        var page = await scheduler.QueryCellsAsync("dash-workers", new CellQuery { Sort = CellSort.Score, Descending = true, Limit = 1 });
        Assert.Equal((3, kept.CellId, 0.8), (page.Matched, page.Rows[0].CellId, page.Rows[0].Score));
    }

    [Fact]
    public async Task StatusesListEverySweepNewestFirstWithTiersAsGetStatusHasThem()
    {
        var scheduler = fx.Client.GetGrain<ISchedulerGrain>($"dash-statuses-{Guid.NewGuid():N}");
        await scheduler.SubmitAsync(Sweep("dash-old", 3, 60));
        await Task.Delay(50);
        await scheduler.SubmitAsync(Sweep("dash-new", 5, 60));

        var all = await scheduler.ListStatusesAsync();

        Assert.Equal(["dash-new", "dash-old"], all.Select(s => s.SweepId));
        Assert.Equal(["0.5%", "explicit"], all[0].Tiers.Select(t => t.Label));
        Assert.Equal((4, 4, 1, 1), (all[0].Tiers[0].Total, all[0].Tiers[0].Pending, all[0].Tiers[1].Total, all[0].Tiers[1].Pending));
        Assert.Equal(all[1].Tiers, (await scheduler.GetStatusAsync("dash-old")).Tiers);
        Assert.Equal((0.0, (double?)null, (double?)null), (all[0].ComputeSeconds, all[0].RemainingComputeSeconds, all[0].EtaSeconds));
        var e = await Assert.ThrowsAsync<ArgumentException>(() => scheduler.QueryCellsAsync("dash-new", new CellQuery { Limit = 1000 }));
        Assert.Equal("limit must be 1–500 (got 1000)", e.Message);
    }
}
