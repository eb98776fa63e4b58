using PeftGrid.Contracts.Grid;
using PeftGrid.Contracts.Trials;
using PeftGrid.Grains.Runners;
using Xunit;

namespace PeftGrid.Grains.Tests.Scheduler;

[Collection(ClusterCollection.Name)]
public sealed class SchedulerTests(ClusterFixture fx)
{
    [Fact]
    public async Task TwoHundredCellsOnEightWorkersEachCompleteExactlyOnce()
    {
        var cells = ClusterFixture.Cells("m200", 200);
        var submit = await fx.Scheduler.SubmitAsync(new SweepRequest { SweepId = "s200", Cells = cells });
        Assert.Equal(200, submit.Added);

        var status = await fx.WaitCompleteAsync("s200", TimeSpan.FromSeconds(60));

        Assert.Equal(200, status.Succeeded);
        Assert.Equal(0, status.Failed + status.Cancelled);
        var workers = new HashSet<string>();
        foreach (var spec in cells)
        {
            Assert.Equal(1, FakeTrialRunner.Runs[spec.CellId]);
            var snap = await fx.Client.GetGrain<IExperimentGrain>(spec.CellId).GetAsync();
            Assert.Equal(TrialStatus.Succeeded, snap.Result!.Status);
            Assert.Equal(0, snap.DuplicatesRejected);
            workers.Add(snap.Result.Worker!);
        }
        Assert.True(workers.Count >= 4, $"only {workers.Count} workers ran cells");
        var board = await fx.Client.GetGrain<ILeaderboardGrain>(GrainKeys.Leaderboard("sst2", "m200")).GetEntriesAsync();
        Assert.Equal(200, board.Count);
    }

    [Fact]
    public async Task ResubmittingAGridAddsNoCell()
    {
        var cells = ClusterFixture.Cells("resubmit", 12);
        var first = await fx.Scheduler.SubmitAsync(new SweepRequest { SweepId = "again", Cells = cells });
        var during = await fx.Scheduler.SubmitAsync(new SweepRequest { SweepId = "again", Cells = cells });
        await fx.WaitCompleteAsync("again", TimeSpan.FromSeconds(30));
        var after = await fx.Scheduler.SubmitAsync(new SweepRequest { SweepId = "again", Cells = cells });
        var other = await fx.Scheduler.SubmitAsync(new SweepRequest { SweepId = "again-other-name", Cells = cells });

        Assert.Equal((12, 0), (first.Added, first.Existing));
        Assert.Equal((0, 12), (during.Added, during.Existing));
        Assert.Equal((0, 12), (after.Added, after.Existing));
        Assert.Equal((0, 12), (other.Added, other.Existing));
        Assert.Equal(12, (await fx.Scheduler.GetStatusAsync("again")).Total);
        Assert.True((await fx.Scheduler.GetStatusAsync("again-other-name")).IsComplete);
        Assert.All(cells, c => Assert.Equal(1, FakeTrialRunner.Runs[c.CellId]));
    }

    [Fact]
    public async Task AlwaysFailingCellEndsFailedWithReasonAfterRetryLimitWhileOthersFinish()
    {
        var cells = ClusterFixture.Cells("failing", 10);
        var bad = new TrialSpec { Task = "sst2", Model = "failing", Method = "always-fail", Seed = 1 };
        cells.Add(bad);
        await fx.Scheduler.SubmitAsync(new SweepRequest { SweepId = "fail", Cells = cells, Policy = new FailurePolicy { MaxAttempts = 3, LeaseSeconds = 30 } });

        var status = await fx.WaitCompleteAsync("fail", TimeSpan.FromSeconds(30));

        Assert.Equal((10, 1), (status.Succeeded, status.Failed));
        await AssertCountersMatchCellsAsync("fail");
        var info = (await fx.Scheduler.GetCellsAsync("fail")).Single(c => c.CellId == bad.CellId);
        Assert.Equal(CellStatus.Failed, info.Status);
        Assert.Equal(3, info.Attempts);
        Assert.Contains("fake failure", info.Error);
        Assert.Equal(3, FakeTrialRunner.Runs[bad.CellId]);
        var snap = await fx.Client.GetGrain<IExperimentGrain>(bad.CellId).GetAsync();
        Assert.Equal(TrialStatus.Failed, snap.Result!.Status);
    }

    [Fact]
    public async Task WorkerThatStopsHeartbeatingHasItsCellRequeuedAndFinishedElsewhere()
    {
        // A "zombie" worker registers and leases cells through the real API, and never heartbeats nor reports.
        await fx.Scheduler.RegisterWorkerAsync("zombie/cpu:9", new FakeTrialRunner(ClusterFixture.Fake).Capabilities);
        IReadOnlyList<CellLease> stolen = [];
        List<TrialSpec> cells = [];
        for (var round = 0; round < 5 && stolen.Count == 0; round++)
        {
            cells = ClusterFixture.Cells($"zombie{round}", 40);
            await fx.Scheduler.SubmitAsync(new SweepRequest { SweepId = $"zombie{round}", Cells = cells, Policy = new FailurePolicy { MaxAttempts = 3, LeaseSeconds = 2 } });
            stolen = (await fx.Scheduler.ExchangeAsync("zombie/cpu:9", [], 4)).Leases;
        }
        Assert.NotEmpty(stolen);
        var sweep = $"zombie{cells[0].Model[^1]}";

        var status = await fx.WaitCompleteAsync(sweep, TimeSpan.FromSeconds(30));

        Assert.Equal(40, status.Succeeded);
        Assert.Equal(stolen.Count, status.Interruptions);
        var infos = (await fx.Scheduler.GetCellsAsync(sweep)).ToDictionary(c => c.CellId);
        foreach (var lease in stolen)
        {
            var snap = await fx.Client.GetGrain<IExperimentGrain>(lease.CellId).GetAsync();
            Assert.NotEqual("zombie/cpu:9", snap.Result!.Worker);
            // The zombie's lost lease is an interruption (issue 8): it uses no attempt, the finished one is attempt 1.
            Assert.Equal(1, snap.Attempts);
            Assert.Equal(1, infos[lease.CellId].Interruptions);
            Assert.Equal(1, FakeTrialRunner.Runs[lease.CellId]);
        }
        // The zombie's late report is rejected: the result was accepted exactly once.
        var late = await fx.Scheduler.ExchangeAsync("zombie/cpu:9",
            [new CellCompletion { CellId = stolen[0].CellId, Token = stolen[0].Token, Result = new TrialResult { CellId = stolen[0].CellId, Task = "sst2", Model = "z", Method = "lora-attn", Status = TrialStatus.Succeeded } }], 0);
        Assert.Equal(CompletionOutcome.Rejected, late.Outcomes.Single()); // another lease's token: stale, not a repeat
    }

    [Fact]
    public async Task RefusedCellsAreReportedWithTheReasonNotDropped()
    {
        var cells = ClusterFixture.Cells("refuse", 3);
        cells.Add(new TrialSpec { Task = "unrunnable", Model = "refuse", Method = "lora-attn" });
        var submit = await fx.Scheduler.SubmitAsync(new SweepRequest { SweepId = "refuse", Cells = cells });

        Assert.Equal(3, submit.Added);
        var refused = Assert.Single(submit.Refused);
        Assert.Contains("refuses task 'unrunnable'", refused.Reason);
        var status = await fx.WaitCompleteAsync("refuse", TimeSpan.FromSeconds(30));
        Assert.Equal((3, 1), (status.Succeeded, status.Refused));
    }

    [Fact]
    public async Task CancellingAnUnknownSweepIsAClearError()
    {
        var e = await Assert.ThrowsAsync<ArgumentException>(() => fx.Scheduler.CancelAsync("no-such-sweep"));
        Assert.Contains("unknown sweep 'no-such-sweep'", e.Message);
        await Assert.ThrowsAsync<ArgumentException>(() => fx.Scheduler.GetStatusAsync("no-such-sweep"));
    }

    [Fact]
    public async Task EmptySweepIsRejected()
    {
        var e = await Assert.ThrowsAsync<ArgumentException>(() => fx.Scheduler.SubmitAsync(new SweepRequest { SweepId = "empty" }));
        Assert.Contains("no cells", e.Message);
    }

    [Fact]
    public async Task CancelStopsPendingCellsAndResubmitRequeuesThem()
    {
        var cells = ClusterFixture.Cells("cancel", 300);
        await fx.Scheduler.SubmitAsync(new SweepRequest { SweepId = "cancel", Cells = cells });
        var cancelled = await fx.Scheduler.CancelAsync("cancel");
        Assert.True(cancelled.IsCancelled);
        Assert.True(cancelled.Cancelled > 0);

        var done = await fx.WaitCompleteAsync("cancel", TimeSpan.FromSeconds(30));
        Assert.Equal(300, done.Succeeded + done.Cancelled);

        var again = await fx.Scheduler.SubmitAsync(new SweepRequest { SweepId = "cancel", Cells = cells });
        Assert.Equal(done.Cancelled, again.Requeued);
        var final = await fx.WaitCompleteAsync("cancel", TimeSpan.FromSeconds(60));
        Assert.Equal(300, final.Succeeded);
        await AssertCountersMatchCellsAsync("cancel");
        Assert.All(cells, c => Assert.Equal(1, FakeTrialRunner.Runs[c.CellId]));
    }

    [Fact]
    public async Task SchedulerDeactivatedMidSweepResumesWithoutRunningAFinishedCellAgain()
    {
        var cells = ClusterFixture.Cells("restart", 150);
        await fx.Scheduler.SubmitAsync(new SweepRequest { SweepId = "restart", Cells = cells, Policy = new FailurePolicy { LeaseSeconds = 2 } });
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while ((await fx.Scheduler.GetStatusAsync("restart")).Succeeded < 30 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }
        await fx.Cluster.DeactivateAsync(fx.Scheduler);

        var status = await fx.WaitCompleteAsync("restart", TimeSpan.FromSeconds(60));

        Assert.Equal(150, status.Succeeded);
        await AssertCountersMatchCellsAsync("restart");
        Assert.All(cells, c => Assert.Equal(1, FakeTrialRunner.Runs[c.CellId]));
        var board = await fx.Client.GetGrain<ILeaderboardGrain>(GrainKeys.Leaderboard("sst2", "restart")).GetEntriesAsync();
        Assert.Equal(150, board.Count);
    }

    /// <summary>The status counters (kept incrementally) agree with a scan of the sweep's cells.</summary>
    private async Task AssertCountersMatchCellsAsync(string sweepId)
    {
        var status = await fx.Scheduler.GetStatusAsync(sweepId);
        var cells = await fx.Scheduler.GetCellsAsync(sweepId);
        int Count(CellStatus s) => cells.Count(c => c.Status == s);
        Assert.Equal(cells.Count, status.Total);
        Assert.Equal(
            (Count(CellStatus.Pending), Count(CellStatus.Running), Count(CellStatus.Succeeded), Count(CellStatus.Failed), Count(CellStatus.Cancelled), Count(CellStatus.Diverged)),
            (status.Pending, status.Running, status.Succeeded, status.Failed, status.Cancelled, status.Diverged));
        Assert.Equal(cells.Sum(c => c.Interruptions), status.Interruptions);
    }
}
