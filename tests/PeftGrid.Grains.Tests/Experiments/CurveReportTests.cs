using PeftGrid.Contracts.Grid;
using PeftGrid.Contracts.Trials;
using PeftGrid.Grains.Tests.Scheduler;
using Xunit;

namespace PeftGrid.Grains.Tests.Experiments;

/// <summary>The experiment grain's live curve: leases ordered by (run, attempt, interruptions), overlaps added once, gaps
/// refused, and the accepted result's curve once no newer run reports.</summary>
[Collection(FaultClusterCollection.Name)]
public sealed class CurveReportTests(FaultClusterFixture fx)
{
    private static List<CurvePoint> Loss(int from, int count) =>
        Enumerable.Range(from, count).Select(i => new CurvePoint { Kind = CurveKind.Loss, Step = i + 1, Value = 1.0 / (i + 1) }).ToList();

    private static CurveReport Report(int from, int count, int run = 1, int attempt = 1, int interruptions = 0) => new()
    {
        Token = "t", Worker = "node/cpu:0", Run = run, Attempt = attempt, Interruptions = interruptions, FromIndex = from, Points = Loss(from, count),
        Progress = new TrialProgress { Step = from + count, TotalSteps = 100, Loss = 0.5 },
    };

    private IExperimentGrain Grain(string name) => fx.Client.GetGrain<IExperimentGrain>($"curve-{name}-{Guid.NewGuid():N}");

    [Fact]
    public async Task OverlapsAreAddedOnceAndAGapAddsNothing()
    {
        var grain = Grain("overlap");
        Assert.Equal(3, await grain.ReportCurveAsync(Report(0, 3)));
        Assert.Equal(5, await grain.ReportCurveAsync(Report(1, 4)));  // points 1–2 again, 3–4 new
        Assert.Equal(5, await grain.ReportCurveAsync(Report(7, 2)));  // a gap: nothing added, resend from 5
        Assert.Equal(5, await grain.ReportCurveAsync(Report(5, 0)));  // progress only
        Assert.Equal(7, await grain.ReportCurveAsync(Report(5, 2)));

        var view = await grain.GetCurveAsync(0);
        Assert.Equal((1, 1, true, 7, "node/cpu:0"), (view.Run, view.Attempt, view.Live, view.Total, view.Worker));
        Assert.Equal(Loss(0, 7), view.Points);
        Assert.Equal(7, view.Progress!.Step);
        Assert.NotNull(view.UpdatedAtUtc);
        Assert.Equal(Loss(4, 3), (await grain.GetCurveAsync(4)).Points);
        Assert.Empty((await grain.GetCurveAsync(9)).Points);
        await Assert.ThrowsAsync<ArgumentException>(() => grain.GetCurveAsync(-1));
    }

    [Fact]
    public async Task ANewerLeaseStartsANewCurveAndAnOlderOneIsStale()
    {
        var grain = Grain("lease");
        Assert.Equal(4, await grain.ReportCurveAsync(Report(0, 4, attempt: 1)));
        Assert.Equal(2, await grain.ReportCurveAsync(Report(0, 2, attempt: 1, interruptions: 1))); // the cell was handed back and leased again
        Assert.Equal(-1, await grain.ReportCurveAsync(Report(4, 3, attempt: 1)));                 // the first lease, late
        Assert.Equal(1, await grain.ReportCurveAsync(Report(0, 1, attempt: 2, interruptions: 0))); // attempt 2 > attempt 1
        Assert.Equal(-1, await grain.ReportCurveAsync(Report(1, 1, attempt: 1, interruptions: 5)));

        var view = await grain.GetCurveAsync(0);
        Assert.Equal((1, 2, 1), (view.Run, view.Attempt, view.Total));
    }

    [Fact]
    public async Task TheAcceptedResultsCurveIsShownUntilANewerRunReports()
    {
        var spec = new TrialSpec { Task = "sst2", Model = "curve-result", Method = "lora-attn", Seed = 4 };
        var grain = fx.Client.GetGrain<IExperimentGrain>(spec.CellId);
        Assert.Equal((0, 0, false), (await grain.GetCurveAsync(0)) is var none ? (none.Run, none.Total, none.Live) : default);
        Assert.Equal(3, await grain.ReportCurveAsync(Report(0, 3)));
        var result = SchedulerParts.Result(spec, TrialStatus.Succeeded) with { Curve = Loss(0, 10), Worker = "node/cpu:1" };
        Assert.True(await grain.RecordAsync(spec, result, 1, 1));

        var accepted = await grain.GetCurveAsync(8);
        Assert.Equal((1, 1, false, 10, "node/cpu:1"), (accepted.Run, accepted.Attempt, accepted.Live, accepted.Total, accepted.Worker));
        Assert.Equal(Loss(8, 2), accepted.Points);
        Assert.Null(accepted.Progress);
        Assert.Equal(-1, await grain.ReportCurveAsync(Report(3, 1))); // run 1 is over

        Assert.Equal(2, await grain.ReportCurveAsync(Report(0, 2, run: 2))); // a rerun reports
        var rerun = await grain.GetCurveAsync(0);
        Assert.Equal((2, true, 2), (rerun.Run, rerun.Live, rerun.Total));
    }
}
