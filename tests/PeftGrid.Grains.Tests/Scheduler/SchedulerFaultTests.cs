using PeftGrid.Contracts.Grid;
using PeftGrid.Contracts.Trials;
using Xunit;

namespace PeftGrid.Grains.Tests.Scheduler;

/// <summary>Issue 8's scheduler findings through the grain's real API, each on a scheduler of its own (no live worker talks
/// to it): stale reports, interruptions on the last attempt, a result hand-off that fails after a lease expiry.</summary>
[Collection(FaultClusterCollection.Name)]
public sealed class SchedulerFaultTests(FaultClusterFixture fx)
{
    private static List<TrialSpec> Cells(string tag, int n) => ClusterFixture.Cells(tag, n);

    /// <summary>Leases the cell to w1, lets the lease expire, leases it to w2.</summary>
    private async Task<(ISchedulerGrain S, ManualWorker W1, ManualWorker W2, CellLease Stale, CellLease Live)> TakeOverAsync(string key, int maxAttempts)
    {
        var s = fx.Client.GetGrain<ISchedulerGrain>(key);
        var (w1, w2) = (new ManualWorker(s, $"{key}/w1"), new ManualWorker(s, $"{key}/w2"));
        await w1.RegisterAsync();
        await w2.RegisterAsync();
        await s.SubmitAsync(new SweepRequest { SweepId = key, Cells = Cells(key, 1), Policy = new FailurePolicy { MaxAttempts = maxAttempts, LeaseSeconds = 1 } });
        var stale = await w1.LeaseOneAsync();
        await MixedClusterFixture.WaitAsync(s, key, st => st.Interruptions == 1 && st.Pending == 1, TimeSpan.FromSeconds(10));
        var live = await w2.LeaseOneAsync();
        return (s, w1, w2, stale, live);
    }

    [Fact]
    public async Task AStaleFailedReportOnTheLastAttemptIsRejectedAndTheLiveAttemptFinishes()
    {
        var (s, w1, w2, stale, live) = await TakeOverAsync("stale-failed", maxAttempts: 2);

        Assert.Equal(CompletionOutcome.Rejected, await w1.ReportAsync(stale, TrialStatus.Failed));

        var status = await s.GetStatusAsync("stale-failed");
        Assert.Equal((1, 0), (status.Running, status.Failed));
        var beat = await w2.HeartbeatAsync(live);
        Assert.Empty(beat.Lost);
        Assert.Empty(beat.Cancel);
        Assert.Equal(CompletionOutcome.Accepted, await w2.ReportAsync(live, TrialStatus.Succeeded));
        Assert.Equal(1, (await s.GetStatusAsync("stale-failed")).Succeeded);
        var snap = await fx.Client.GetGrain<IExperimentGrain>(live.CellId).GetAsync();
        Assert.Equal((TrialStatus.Succeeded, "stale-failed/w2", 1), (snap.Result!.Status, snap.Result.Worker, snap.Attempts));
    }

    [Fact]
    public async Task AStaleSucceededReportIsRejectedAndNotRecorded()
    {
        var (s, w1, w2, stale, live) = await TakeOverAsync("stale-succeeded", maxAttempts: 2);

        Assert.Equal(CompletionOutcome.Rejected, await w1.ReportAsync(stale, TrialStatus.Succeeded));

        Assert.Null((await fx.Client.GetGrain<IExperimentGrain>(stale.CellId).GetAsync()).Result);
        Assert.Equal(1, (await s.GetStatusAsync("stale-succeeded")).Running);
        Assert.Equal(CompletionOutcome.Accepted, await w2.ReportAsync(live, TrialStatus.Succeeded, accuracy: 0.75));
        var snap = await fx.Client.GetGrain<IExperimentGrain>(live.CellId).GetAsync();
        Assert.Equal(("stale-succeeded/w2", 0.75), (snap.Result!.Worker, snap.Result.Metrics["accuracy"]));
    }

    [Fact]
    public async Task ACellInterruptedOnItsLastAttemptRunsAgainWithoutUsingIt()
    {
        var (s, _, w2, _, live) = await TakeOverAsync("interrupted-last", maxAttempts: 1);

        Assert.Equal(1, live.Attempt);
        Assert.Equal(CompletionOutcome.Accepted, await w2.ReportAsync(live, TrialStatus.Succeeded));
        var status = await s.GetStatusAsync("interrupted-last");
        Assert.Equal((1, 0, 1), (status.Succeeded, status.Failed, status.Interruptions));
        var cell = Assert.Single(await s.GetCellsAsync("interrupted-last"));
        Assert.Equal((1, 1), (cell.Attempts, cell.Interruptions));
    }

    [Fact]
    public async Task AFailedResultHandOffAfterALeaseExpiryIsRetriedUntilDurableInsteadOfLeavingTheCellRunning()
    {
        const string key = "stuck-handoff";
        var s = fx.Client.GetGrain<ISchedulerGrain>(key);
        var w1 = new ManualWorker(s, $"{key}/w1");
        await w1.RegisterAsync();
        var spec = Cells(key, 1)[0];
        var experiment = fx.Id<IExperimentGrain>(spec.CellId);
        var failures = 3;
        fx.Storage.FailWrite = (state, grain) => grain == experiment && Interlocked.Decrement(ref failures) >= 0;
        try
        {
            await s.SubmitAsync(new SweepRequest { SweepId = key, Cells = [spec], Policy = new FailurePolicy { MaxAttempts = 1, LeaseSeconds = 1, MaxInterruptions = 0 } });
            await w1.LeaseOneAsync();

            // The lease expires; the cell is out of attempts; recording its Failed result fails 3 times, then lands.
            var status = await MixedClusterFixture.WaitAsync(s, key, st => st.IsComplete, TimeSpan.FromSeconds(20));

            Assert.Equal((1, 0, 0), (status.Failed, status.Running, status.Pending));
            Assert.True(failures < 0, "the injected failures were not all hit");
            var snap = await fx.Client.GetGrain<IExperimentGrain>(spec.CellId).GetAsync();
            Assert.Equal(TrialStatus.Failed, snap.Result!.Status);
            Assert.Contains("lease expired", snap.Result.Error);
        }
        finally
        {
            fx.Storage.FailWrite = null;
        }
    }

    [Fact]
    public async Task MaxInterruptionsBelowZeroIsAOneLineError()
    {
        var s = fx.Client.GetGrain<ISchedulerGrain>("bad-policy");
        var e = await Assert.ThrowsAsync<ArgumentException>(() => s.SubmitAsync(new SweepRequest { SweepId = "bad", Cells = Cells("bad-policy", 1), Policy = new FailurePolicy { MaxInterruptions = -1 } }));
        Assert.Equal("sweep 'bad': maxInterruptions must be ≥ 0 (got -1)", e.Message);
    }
}
