using PeftGrid.Cli.Commands;
using PeftGrid.Contracts.Grid;
using Xunit;

namespace PeftGrid.Integration.Tests.Cli;

/// <summary>The sweep ETA counts down between completions instead of growing with the wall clock.</summary>
public sealed class SweepEtaTests
{
    private static SweepStatus Status(int pending, int running, int succeeded) =>
        new() { SweepId = "s", Total = pending + running + succeeded, Pending = pending, Running = running, Succeeded = succeeded };

    [Fact]
    public void EtaIsUnknownUntilACellFinishesThenCountsDownBetweenCompletions()
    {
        var eta = new SweepEta(doneAtStart: 0);
        Assert.Null(eta.Estimate(Status(9, 1, 0), TimeSpan.FromSeconds(5)));
        // First cell done at 10 s: 10 s per cell, 9 left → 90 s.
        Assert.Equal(90, eta.Estimate(Status(8, 1, 1), TimeSpan.FromSeconds(10))!.Value.TotalSeconds, 6);
        // No completion for 4 more seconds: the estimate falls by 4 s (it used to grow).
        Assert.Equal(86, eta.Estimate(Status(8, 1, 1), TimeSpan.FromSeconds(14))!.Value.TotalSeconds, 6);
        // Second cell at 30 s: 15 s per cell, 8 left → 120 s.
        Assert.Equal(120, eta.Estimate(Status(7, 1, 2), TimeSpan.FromSeconds(30))!.Value.TotalSeconds, 6);
        // Overdue: never negative.
        Assert.Equal(0, eta.Estimate(Status(7, 1, 2), TimeSpan.FromSeconds(500))!.Value.TotalSeconds);
        Assert.Null(eta.Estimate(Status(0, 0, 10), TimeSpan.FromSeconds(600)));
    }

    [Fact]
    public void CellsFinishedBeforeFollowingDoNotCountTowardsTheRate()
    {
        var eta = new SweepEta(doneAtStart: 5);
        Assert.Null(eta.Estimate(Status(4, 1, 5), TimeSpan.FromSeconds(3)));
        Assert.Equal(40, eta.Estimate(Status(3, 1, 6), TimeSpan.FromSeconds(10))!.Value.TotalSeconds, 6);
    }

    [Fact]
    public void ProgressLineShowsCountsAndTheEta()
    {
        Assert.Equal("queued 3, running 1, done 6, failed 0, ETA 00:00:40", SweepRunCommand.Describe(Status(3, 1, 6), TimeSpan.FromSeconds(40)));
        Assert.Equal("queued 3, running 1, done 6, failed 0, ETA …", SweepRunCommand.Describe(Status(3, 1, 6), null));
        Assert.Equal("queued 0, running 0, done 6, failed 0", SweepRunCommand.Describe(Status(0, 0, 6), null));
    }
}
