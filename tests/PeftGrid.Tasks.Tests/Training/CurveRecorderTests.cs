using PeftGrid.Contracts.Trials;
using PeftGrid.Tasks.Training;

namespace PeftGrid.Tasks.Tests.Training;

public class CurveRecorderTests
{
    // A recorder with a fake clock (0.5 s per reading) whose sink batches are kept.
    private static (CurveRecorder Recorder, List<IReadOnlyList<CurvePoint>> Batches) Recorder(long totalSteps, int stepsPerEpoch)
    {
        var batches = new List<IReadOnlyList<CurvePoint>>();
        var readings = 0;
        return (new CurveRecorder(totalSteps, stepsPerEpoch, batches.Add, () => 0.5 * ++readings), batches);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(7, 1)]
    [InlineData(200, 1)]
    [InlineData(201, 2)]
    [InlineData(400, 2)]
    [InlineData(450, 3)]
    [InlineData(100_000, 500)]
    public void The_logging_interval_keeps_a_curve_near_200_loss_points(long totalSteps, long interval) =>
        Assert.Equal(interval, CurveRecorder.LoggingInterval(totalSteps));

    [Fact]
    public void Seven_steps_log_every_step_with_its_own_loss()
    {
        var (recorder, batches) = Recorder(7, stepsPerEpoch: 4);
        for (var s = 1; s <= 7; s++) recorder.AddLoss(s, 0.25 * s);
        recorder.FlushLoss(); // nothing pending: step 7 closed an interval of 1
        var points = recorder.Points;
        Assert.Equal(7, points.Count);
        Assert.All(points, p => Assert.Equal((CurveKind.Loss, "loss"), (p.Kind, p.Name)));
        Assert.Equal([1L, 2, 3, 4, 5, 6, 7], points.Select(p => p.Step));
        Assert.Equal([0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 1.75], points.Select(p => p.Value));
        Assert.Equal([0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 1.75], points.Select(p => p.Epoch));   // step / 4 steps per epoch
        Assert.Equal([0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5], points.Select(p => p.Seconds));     // one clock reading per point
        Assert.Equal(7, batches.Count);                                                    // one loss point per sink call
        Assert.Equal(points, batches.SelectMany(b => b));
    }

    [Fact]
    public void Four_hundred_fifty_steps_give_150_points_each_the_mean_of_its_three_losses()
    {
        var (recorder, _) = Recorder(450, stepsPerEpoch: 150);
        for (var s = 1; s <= 450; s++) recorder.AddLoss(s, s);
        recorder.FlushLoss();
        var points = recorder.Points;
        Assert.Equal(3, recorder.Interval);
        Assert.Equal(150, points.Count);
        for (var k = 1; k <= 150; k++)
        {
            Assert.Equal(3 * k, points[k - 1].Step);
            Assert.Equal(3 * k - 1, points[k - 1].Value);          // mean of 3k-2, 3k-1, 3k
            Assert.Equal(3 * k / 150.0, points[k - 1].Epoch, 12);
        }
        Assert.Equal(3.0, points[^1].Epoch);
    }

    [Fact]
    public void The_last_partial_interval_is_flushed_once_at_the_end()
    {
        var (recorder, _) = Recorder(401, stepsPerEpoch: 401);   // interval 3: 133 full intervals, then steps 400 and 401
        for (var s = 1; s <= 401; s++) recorder.AddLoss(s, s % 2 == 0 ? 1.0 : 4.0);
        Assert.Equal(133, recorder.Points.Count);
        recorder.FlushLoss();
        recorder.FlushLoss();
        Assert.Equal(134, recorder.Points.Count);
        Assert.Equal((401L, 2.5, 1.0), (recorder.Points[^1].Step, recorder.Points[^1].Value, recorder.Points[^1].Epoch)); // (1 + 4) / 2
        Assert.Equal(3.0, recorder.Points[^2].Value);             // steps 397..399: 4, 1, 4
    }

    [Fact]
    public void A_run_stopped_early_ends_with_its_partial_interval()
    {
        var (recorder, _) = Recorder(450, stepsPerEpoch: 100);
        foreach (var (s, loss) in new[] { (1, 1.0), (2, 2.0), (3, 6.0), (4, 0.5), (5, 1.5) }) recorder.AddLoss(s, loss);
        recorder.FlushLoss();
        Assert.Equal([(3L, 3.0), (5L, 1.0)], recorder.Points.Select(p => (p.Step, p.Value)));
    }

    [Fact]
    public void An_evaluation_gives_one_point_per_metric_at_the_whole_epoch_sent_together()
    {
        var (recorder, batches) = Recorder(8, stepsPerEpoch: 4);
        for (var s = 1; s <= 4; s++) recorder.AddLoss(s, 1.0);
        recorder.AddEvaluation(1, new Dictionary<string, double> { ["loss"] = 2.5, ["rouge2"] = 7.25, ["rougeL"] = double.NaN });
        for (var s = 5; s <= 8; s++) recorder.AddLoss(s, 0.5);
        recorder.AddEvaluation(2, new Dictionary<string, double> { ["accuracy"] = 0.875 });

        var evaluations = recorder.Points.Where(p => p.Kind == CurveKind.Evaluation).ToList();
        Assert.Equal([("loss", 2.5), ("rouge2", 7.25), ("rougeL", double.NaN), ("accuracy", 0.875)], evaluations.Select(p => (p.Name, p.Value)));
        Assert.Equal([1.0, 1, 1, 2], evaluations.Select(p => p.Epoch));
        Assert.Equal([4L, 4, 4, 8], evaluations.Select(p => p.Step));
        Assert.Equal(2.5, evaluations[0].Seconds);                // the 5th clock reading, shared by the evaluation's points
        Assert.Equal(2.5, evaluations[2].Seconds);
        Assert.Equal(12, recorder.Points.Count);                  // 8 loss points (interval 1) + 4 evaluation points
        Assert.Equal(CurveKind.Evaluation, recorder.Points[4].Kind); // in order: after step 4's loss, before step 5's
        Assert.Equal(10, batches.Count);                          // 8 single loss points + 2 evaluations
        Assert.Equal(3, batches[4].Count);
        Assert.Equal(recorder.Points, batches.SelectMany(b => b));
    }

    [Fact]
    public void Bad_arguments_name_the_parameter()
    {
        Assert.Equal("stepsPerEpoch", Assert.Throws<ArgumentOutOfRangeException>(() => new CurveRecorder(10, 0)).ParamName);
        Assert.Equal("totalSteps", Assert.Throws<ArgumentOutOfRangeException>(() => new CurveRecorder(-1, 1)).ParamName);
    }
}
