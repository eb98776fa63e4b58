using PeftGrid.Contracts.Grid;
using PeftGrid.Contracts.Trials;
using Xunit;

namespace PeftGrid.Grains.Tests.Scheduler;

/// <summary><see cref="ISchedulerGrain.RetryAsync"/>: Failed/Diverged cells rerun as a new run, earlier runs kept.</summary>
[Collection(FaultClusterCollection.Name)]
public sealed class RetryTests(FaultClusterFixture fx)
{
    [Fact]
    public async Task DivergedAndFailedCellsRerunAsANewRunKeepingTheEarlierRunsResults()
    {
        const string key = "retry";
        var s = fx.Client.GetGrain<ISchedulerGrain>(key);
        var w = new ManualWorker(s, $"{key}/w");
        await w.RegisterAsync();
        var cells = ClusterFixture.Cells(key, 3);
        await s.SubmitAsync(new SweepRequest { SweepId = key, Cells = cells, Policy = new FailurePolicy { MaxAttempts = 1 } });
        var leases = new List<CellLease>();
        while (leases.Count < 3)
        {
            leases.Add(await w.LeaseOneAsync());
        }
        var byId = leases.ToDictionary(l => l.CellId);
        var (failed, diverged, ok) = (byId[cells[0].CellId], byId[cells[1].CellId], byId[cells[2].CellId]);
        Assert.Equal(CompletionOutcome.Accepted, await w.ReportAsync(failed, TrialStatus.Failed));
        Assert.Equal(CompletionOutcome.Accepted, await w.ReportAsync(diverged, TrialStatus.Diverged));
        Assert.Equal(CompletionOutcome.Accepted, await w.ReportAsync(ok, TrialStatus.Succeeded));
        var before = await s.GetStatusAsync(key);
        Assert.Equal((1, 1, 1, 3, true), (before.Failed, before.Diverged, before.Succeeded, before.Done, before.IsComplete));

        var onlyDiverged = await s.RetryAsync(key, new RetryRequest { Diverged = true });

        Assert.Equal((0, 1), (onlyDiverged.Failed, onlyDiverged.Diverged));
        var rerun = await w.LeaseOneAsync();
        Assert.Equal((diverged.CellId, 1), (rerun.CellId, rerun.Attempt));
        Assert.Equal(CompletionOutcome.Accepted, await w.ReportAsync(rerun, TrialStatus.Succeeded, accuracy: 0.7));
        var snap = await fx.Client.GetGrain<IExperimentGrain>(diverged.CellId).GetAsync();
        Assert.Equal((2, TrialStatus.Succeeded), (snap.Run, snap.Result!.Status));
        var earlier = Assert.Single(snap.History);
        Assert.Equal((1, TrialStatus.Diverged), (earlier.Run, earlier.Result.Status));

        var both = await s.RetryAsync(key, new RetryRequest());
        Assert.Equal((1, 0), (both.Failed, both.Diverged));
        var again = await w.LeaseOneAsync();
        Assert.Equal(failed.CellId, again.CellId);
        // The first run's token is stale for the new run.
        Assert.Equal(CompletionOutcome.Rejected, await w.ReportAsync(failed, TrialStatus.Succeeded));
        Assert.Equal(CompletionOutcome.Accepted, await w.ReportAsync(again, TrialStatus.Succeeded));

        var after = await s.GetStatusAsync(key);
        Assert.Equal((3, 0, 0), (after.Succeeded, after.Failed, after.Diverged));
        var runs = (await s.GetCellsAsync(key)).ToDictionary(c => c.CellId, c => c.Run);
        Assert.Equal([2, 2, 1], cells.Select(c => runs[c.CellId]));
        Assert.Equal((0, 0), ((await s.RetryAsync(key, new RetryRequest())).Failed, (await s.RetryAsync(key, new RetryRequest { Failed = true })).Diverged));
    }

    [Fact]
    public async Task RetryingAnUnknownSweepIsAClearError()
    {
        var e = await Assert.ThrowsAsync<ArgumentException>(() => fx.Scheduler.RetryAsync("no-such-sweep", new RetryRequest()));
        Assert.Contains("unknown sweep 'no-such-sweep'", e.Message);
    }
}
