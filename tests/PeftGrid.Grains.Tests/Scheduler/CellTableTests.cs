using PeftGrid.Contracts.Grid;
using PeftGrid.Grains.Scheduler;
using Xunit;

namespace PeftGrid.Grains.Tests.Scheduler;

public sealed class CellTableTests
{
    [Fact]
    public void TransitionsKeepTheSweepCountersAndQueueDepthInStep()
    {
        var p = new SchedulerParts();
        var cells = p.Add(4);
        Assert.Equal((4, 0, 0, 0, 0, 0), p.Counts());
        Assert.Equal(4, p.Table.Pending);

        p.Table.SetStatus(cells[0], CellStatus.Running);
        p.Table.SetStatus(cells[1], CellStatus.Diverged);
        p.Table.SetStatus(cells[2], CellStatus.Succeeded);
        p.Table.SetStatus(cells[3], CellStatus.Failed);
        Assert.Equal((0, 1, 1, 1, 0, 1), p.Counts());
        Assert.Equal(0, p.Table.Pending);
        Assert.True(cells[1].IsTerminal);
        Assert.True(cells[1].HasResult);

        p.Table.Enqueue(cells[1], p.Leases.Now);
        Assert.Equal((1, 1, 1, 1, 0, 0), p.Counts());
        Assert.Equal(1, p.Table.Pending);
        Assert.Equal(1, p.Sweep.PendingByNeed.Single().Value.Cells);
        Assert.Equal(4, p.Touched.Count);
    }

    [Fact]
    public void InterruptionsAndLostResultsAreSummedPerSweep()
    {
        var p = new SchedulerParts();
        var cells = p.Add(2);

        p.Table.SetInterruptions(cells[0], 2);
        p.Table.SetInterruptions(cells[1], 1);
        p.Table.SetInterruptions(cells[0], 0);
        p.Table.CountLost(cells[1]);

        Assert.Equal((1, 1), (p.Sweep.Interruptions, p.Sweep.Lost));
        var other = p.Table.AddSweep(new SweepRecord { Id = "t" });
        Assert.True(CellTable.Join(other, cells[1]));
        Assert.False(CellTable.Join(other, cells[1]));
        Assert.Equal((1, 1, 1), (other.Interruptions, other.Lost, other.Members.Count));
    }

    [Fact]
    public void TheOldestCoveredPendingCellIsTakenFirstAndStaleEntriesAreSkipped()
    {
        var p = new SchedulerParts();
        var a = p.Add(2, "a");
        var b = p.Add(1, "b");

        p.Table.Enqueue(a[0], p.Leases.Now); // queued again: its first entry is stale, it is now the youngest
        Assert.Same(a[1], p.Table.TakeOldest(_ => true));
        p.Table.SetStatus(a[1], CellStatus.Running);
        Assert.Same(a[0], p.Table.TakeOldest(n => n.Model == "a"));
        p.Table.SetStatus(a[0], CellStatus.Running);
        Assert.Null(p.Table.TakeOldest(n => n.Model == "a"));
        Assert.Same(b[0], p.Table.TakeOldest(_ => true));
    }
}
