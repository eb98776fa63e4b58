using PeftGrid.Contracts.Trials;
using PeftGrid.Tasks.Runner;
using PeftGrid.Tasks.Training;

namespace PeftGrid.Tasks.Tests.Runner;

public class TrialProgressReporterTests
{
    private sealed class FakeTime : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        public override DateTimeOffset GetUtcNow() => Now;
    }

    private sealed class Sink : IProgress<TrialProgress>
    {
        public List<TrialProgress> Reports { get; } = [];
        public void Report(TrialProgress value) => Reports.Add(value);
    }

    private static TrainStepInfo Step(long step, long total = 10) => new(step, total, 1, 0.1 * step, 50, 1e-3);
    private static CurvePoint Loss(long step) => new() { Kind = CurveKind.Loss, Step = step, Value = step };
    private static CurvePoint Eval(string name) => new() { Kind = CurveKind.Evaluation, Step = 10, Epoch = 1, Name = name };

    [Fact]
    public void Reports_at_most_once_a_period_with_every_point_made_since_the_last_report_and_the_last_step_always()
    {
        var (time, sink) = (new FakeTime(), new Sink());
        var reporter = new TrialProgressReporter(sink, time);
        for (var s = 1; s <= 10; s++)
        {
            reporter.OnCurvePoints([Loss(s)]);                          // the trainer makes a step's point before its step callback
            reporter.OnStep(Step(s));
            time.Now += TimeSpan.FromMilliseconds(300);
        }
        // Reports at step 1 (first), 5 (1.2 s later), 9 (1.2 s later) and 10 (the last step).
        Assert.Equal([1L, 5, 9, 10], sink.Reports.Select(r => r.Step));
        Assert.Equal(["1", "2 3 4 5", "6 7 8 9", "10"], sink.Reports.Select(r => string.Join(' ', r.Points.Select(p => p.Step))));
        Assert.Equal((10L, 1.0), (sink.Reports[^1].TotalSteps, sink.Reports[^1].Loss));

        reporter.OnCurvePoints([Eval("loss"), Eval("rouge2")]);          // within the period: waits
        Assert.Equal(4, sink.Reports.Count);
        reporter.Flush();
        Assert.Equal(5, sink.Reports.Count);
        Assert.Equal((10L, "loss rouge2"), (sink.Reports[^1].Step, string.Join(' ', sink.Reports[^1].Points.Select(p => p.Name))));
        reporter.Flush();                                                 // nothing left: no empty report
        Assert.Equal(5, sink.Reports.Count);
        Assert.Equal(12, sink.Reports.Sum(r => r.Points.Count));        // each point once
    }

    [Fact]
    public void An_evaluations_points_go_out_at_once_after_a_period_but_loss_points_wait_for_their_step()
    {
        var (time, sink) = (new FakeTime(), new Sink());
        var reporter = new TrialProgressReporter(sink, time);
        reporter.OnStep(Step(4));
        time.Now += TimeSpan.FromSeconds(5);                              // an evaluation takes a while
        reporter.OnCurvePoints([Eval("accuracy")]);
        Assert.Equal(2, sink.Reports.Count);
        Assert.Equal((4L, "accuracy"), (sink.Reports[^1].Step, sink.Reports[^1].Points.Single().Name));

        time.Now += TimeSpan.FromSeconds(5);
        reporter.OnCurvePoints([Loss(5)]);
        Assert.Equal(2, sink.Reports.Count);                             // reported by step 5's callback, with step 5's progress
        reporter.OnStep(Step(5));
        Assert.Equal((5L, 5L), (sink.Reports[^1].Step, sink.Reports[^1].Points.Single().Step));
        Assert.Empty(sink.Reports[0].Points);
    }
}
