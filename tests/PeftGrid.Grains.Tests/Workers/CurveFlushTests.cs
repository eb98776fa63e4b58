using PeftGrid.Contracts.Grid;
using PeftGrid.Contracts.Trials;
using PeftGrid.Grains.Runners;
using Xunit;

namespace PeftGrid.Grains.Tests.Workers;

/// <summary>A worker streams a running cell's curve to its experiment grain; the accepted result carries the whole curve.</summary>
public sealed class CurveFlushTests(CurveClusterFixture fx) : IClassFixture<CurveClusterFixture>
{
    [Fact]
    public async Task PointsArriveWhileTheCellRunsAndTheResultHasTheFullCurve()
    {
        const int steps = CurveClusterFixture.CellMilliseconds / 100;
        var spec = new TrialSpec { Task = "sst2", Model = "curve-flush", Method = "lora-attn", BudgetPercent = 0.5 };
        var scheduler = fx.Client.GetGrain<ISchedulerGrain>(GrainKeys.Scheduler);
        await scheduler.SubmitAsync(new SweepRequest { SweepId = "curve-flush", Cells = [spec], Policy = new FailurePolicy { LeaseSeconds = 30 } });
        var grain = fx.Client.GetGrain<IExperimentGrain>(spec.CellId);

        CurveView live = new();
        for (var deadline = DateTime.UtcNow.AddSeconds(30); DateTime.UtcNow < deadline && !(live.Live && live.Total >= 5); await Task.Delay(50))
        {
            live = await grain.GetCurveAsync(0);
        }
        var cell = (await scheduler.GetCellAsync(spec.CellId))!;

        Assert.Equal(CellStatus.Running, cell.Status);
        Assert.True(live.Live, "no live curve while the cell ran");
        Assert.InRange(live.Total, 5, steps - 1);
        Assert.Equal((1, 1, cell.Worker), (live.Run, live.Attempt, live.Worker));
        Assert.Equal(Enumerable.Range(1, live.Total).Select(s => (long)s), live.Points.Select(p => p.Step));
        Assert.All(live.Points, p => Assert.Equal((CurveKind.Loss, FakeTrialRunner.LossAt(p.Step, steps)), (p.Kind, p.Value)));
        Assert.Equal(steps, live.Progress!.TotalSteps);

        for (var deadline = DateTime.UtcNow.AddSeconds(30); (await scheduler.GetStatusAsync("curve-flush")).IsComplete is false && DateTime.UtcNow < deadline;)
        {
            await Task.Delay(50);
        }
        var final = await grain.GetCurveAsync(0);
        var result = (await grain.GetAsync()).Result!;

        Assert.Equal((false, steps + 1), (final.Live, final.Total));
        Assert.Equal(result.Curve, final.Points);
        Assert.Equal(live.Points, final.Points.Take(live.Total)); // the streamed points are the result's
        var eval = final.Points[^1];
        Assert.Equal((CurveKind.Evaluation, "accuracy", FakeTrialRunner.ScoreOf(spec), (long)steps), (eval.Kind, eval.Name, eval.Value, eval.Step));
    }
}
