using Microsoft.Extensions.Logging;
using PeftGrid.Contracts.Grid;
using PeftGrid.Contracts.Trials;
using Xunit;

namespace PeftGrid.Grains.Tests.Scheduler;

/// <summary>The token rule, interruptions and restart adoption, on the plain parts and fake time.</summary>
public sealed class CellDispatcherTests
{
    [Fact]
    public void AStaleFailedReportOnTheLastAttemptNeitherFailsTheCellNorStopsTheLiveAttempt()
    {
        var p = new SchedulerParts(maxAttempts: 2, leaseSeconds: 10);
        var cell = p.Add(1)[0];
        var first = p.Lease("w1").Single();
        p.Time.Advance(TimeSpan.FromSeconds(11));
        Assert.Empty(p.Dispatcher.Expire()); // an interruption: queued again, no attempt used
        var second = p.Lease("w2").Single();
        Assert.Equal(1, second.Attempt);
        Assert.Equal(1, cell.Interruptions);

        var stale = p.Complete("w1", first, TrialStatus.Failed, out var final);

        Assert.Equal(CompletionOutcome.Rejected, stale);
        Assert.Null(final);
        Assert.Equal((CellStatus.Running, second.Token), (cell.Status, cell.Token));
        var (cancel, lost) = p.Dispatcher.Heartbeat("w2", [new HeldLease { CellId = cell.Id, Token = second.Token }]);
        Assert.Empty(cancel);
        Assert.Empty(lost);
        Assert.Contains(p.Log.Lines, l => l.Level == LogLevel.Warning && l.Message.Contains("rejected") && l.Message.Contains(cell.Id) && l.Message.Contains("w1"));
        Assert.Equal(CompletionOutcome.Accepted, p.Complete("w2", second, TrialStatus.Succeeded));
    }

    [Fact]
    public void AStaleSucceededReportIsNotRecorded()
    {
        var p = new SchedulerParts(leaseSeconds: 10);
        var cell = p.Add(1)[0];
        var first = p.Lease("w1").Single();
        p.Time.Advance(TimeSpan.FromSeconds(11));
        p.Dispatcher.Expire();
        var second = p.Lease("w2").Single();

        Assert.Equal(CompletionOutcome.Rejected, p.Complete("w1", first, TrialStatus.Succeeded, out var final));
        Assert.Null(final);
        Assert.Equal(CompletionOutcome.Accepted, p.Complete("w2", second, TrialStatus.Succeeded, out final));
        Assert.Equal("w2", final!.Result.Worker);
        Assert.Same(cell, final.Cell);
    }

    [Fact]
    public void AReportForAQueuedCellOrWithAnUnknownTokenIsRejected()
    {
        var p = new SchedulerParts(leaseSeconds: 10);
        var cell = p.Add(1)[0];
        var lease = p.Lease("w1").Single();
        p.Time.Advance(TimeSpan.FromSeconds(11));
        p.Dispatcher.Expire();
        Assert.Equal(CellStatus.Pending, cell.Status);

        Assert.Equal(CompletionOutcome.Rejected, p.Complete("w1", lease, TrialStatus.Failed));
        Assert.Equal(CompletionOutcome.Rejected, p.Complete("w9", lease with { Token = "forged" }, TrialStatus.Succeeded));
        Assert.Equal((CellStatus.Pending, 0, null), (cell.Status, cell.Attempts, cell.Token));
        Assert.Equal([cell.Id], p.Dispatcher.Heartbeat("w1", [new HeldLease { CellId = cell.Id, Token = lease.Token }]).Lost);
    }

    [Fact]
    public void InterruptionsUseNoAttemptUpToTheBoundThenCountAsFailedAttempts()
    {
        var p = new SchedulerParts(maxAttempts: 2, maxInterruptions: 2, leaseSeconds: 10);
        var cell = p.Add(1)[0];

        // Two interruptions (a lost lease, a hand-back) within the bound: requeued, attempts given back.
        p.Lease("w1");
        p.Time.Advance(TimeSpan.FromSeconds(11));
        Assert.Empty(p.Dispatcher.Expire());
        Assert.Equal(CompletionOutcome.Requeued, p.Complete("w2", p.Lease("w2").Single(), TrialStatus.Cancelled));
        Assert.Equal((CellStatus.Pending, 0, 2), (cell.Status, cell.Attempts, cell.Interruptions));
        Assert.Equal(2, p.Sweep.Interruptions);

        // Past the bound: the third interruption uses attempt 1 of 2, the fourth attempt 2 — the cell ends Failed.
        Assert.Equal(CompletionOutcome.Retrying, p.Complete("w3", p.Lease("w3").Single(), TrialStatus.Cancelled));
        Assert.Equal((1, 3), (cell.Attempts, cell.Interruptions));
        var last = p.Lease("w4").Single();
        Assert.Equal(2, last.Attempt);
        p.Time.Advance(TimeSpan.FromSeconds(11));
        var final = Assert.Single(p.Dispatcher.Expire());
        Assert.Equal(TrialStatus.Failed, final.Result.Status);
        Assert.Contains("interrupted 4 times, more than the 2 allowed", final.Result.Error);
        Assert.Equal(CellStatus.Running, cell.Status); // until the sink makes the result final
    }

    [Fact]
    public void AFailedTrialUsesAnAttemptAndTheLastOneIsFinal()
    {
        var p = new SchedulerParts(maxAttempts: 2);
        var cell = p.Add(1)[0];

        Assert.Equal(CompletionOutcome.Retrying, p.Complete("w1", p.Lease("w1").Single(), TrialStatus.Failed));
        Assert.Equal((CellStatus.Pending, 1), (cell.Status, cell.Attempts));
        Assert.Equal(CompletionOutcome.Accepted, p.Complete("w1", p.Lease("w1").Single(), TrialStatus.Failed, out var final));
        Assert.Equal(TrialStatus.Failed, final!.Result.Status);
        Assert.Equal(0, cell.Interruptions);
    }

    [Fact]
    public void AHandBackAfterASweepCancelEndsTheCellCancelledWithoutAnInterruption()
    {
        var p = new SchedulerParts();
        var cell = p.Add(1)[0];
        var lease = p.Lease("w1").Single();
        cell.CancelRequested = true;

        Assert.Equal([cell.Id], p.Dispatcher.Heartbeat("w1", [new HeldLease { CellId = cell.Id, Token = lease.Token }]).Cancel);
        Assert.Equal(CompletionOutcome.Requeued, p.Complete("w1", lease, TrialStatus.Cancelled));
        Assert.Equal((CellStatus.Cancelled, 0), (cell.Status, cell.Interruptions));
    }

    [Fact]
    public void AfterARestartACellNotLeasedSinceMayBeAdoptedOnceThenTheTokenRuleHolds()
    {
        var p = new SchedulerParts(leaseSeconds: 10);
        var running = p.Add(2);
        p.Table.SetStatus(running[0], CellStatus.Running);
        running[0].Token = "written-before-crash";
        running[0].Attempts = 1;
        // running[1] was leased after the last write: stored Pending.
        p.Dispatcher.Restore(running);
        Assert.False(p.Leases.Leasing); // grace: 5 s (half the lease)
        var ghost = new CellLease { CellId = running[1].Id, Spec = running[1].Spec, Token = "granted-after-last-write" };

        // A worker heartbeats a token the new activation never saw: adopted.
        var (_, lost) = p.Dispatcher.Heartbeat("w1", [new HeldLease { CellId = running[0].Id, Token = "granted-after-last-write-0" }]);
        Assert.Empty(lost);
        Assert.Equal(("granted-after-last-write-0", "w1"), (running[0].Token, running[0].Worker));
        // A completion for the never-written lease of the pending cell: adopted and accepted.
        Assert.Equal(CompletionOutcome.Accepted, p.Complete("w2", ghost, TrialStatus.Succeeded));
        Assert.Equal(1, running[1].Attempts);

        // The old token of the adopted cell is now stale.
        var old = new CellLease { CellId = running[0].Id, Spec = running[0].Spec, Token = "written-before-crash" };
        Assert.Equal(CompletionOutcome.Rejected, p.Complete("w9", old, TrialStatus.Failed));
    }

    [Fact]
    public void AfterARestartACellLeasedAgainIsNoLongerAdoptable()
    {
        var p = new SchedulerParts(leaseSeconds: 10);
        var cell = p.Add(1)[0];
        p.Dispatcher.Restore([cell]);
        p.Time.Advance(TimeSpan.FromSeconds(5));
        var fresh = p.Lease("w2").Single();

        var stale = new CellLease { CellId = cell.Id, Spec = cell.Spec, Token = "from-before-the-restart" };
        Assert.Equal(CompletionOutcome.Rejected, p.Complete("w1", stale, TrialStatus.Failed));
        Assert.Equal(fresh.Token, cell.Token);
    }

    [Fact]
    public void ACellBeingFinalizedTakesNoReportAndItsHeartbeatsAreToldItIsLost()
    {
        var p = new SchedulerParts();
        var cell = p.Add(1)[0];
        var lease = p.Lease("w1").Single();
        p.Finalizing.Add(cell.Id);

        Assert.Equal(CompletionOutcome.Duplicate, p.Complete("w1", lease, TrialStatus.Succeeded));
        Assert.Equal([cell.Id], p.Dispatcher.Heartbeat("w1", [new HeldLease { CellId = cell.Id, Token = lease.Token }]).Lost);
    }
}
