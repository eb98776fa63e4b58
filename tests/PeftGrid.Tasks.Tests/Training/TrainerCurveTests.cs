using PeftGrid.Contracts.Trials;
using PeftGrid.Tasks.Training;

namespace PeftGrid.Tasks.Tests.Training;

/// <summary>The trainer's curve, on the toy task of <see cref="TrainerTests"/> (2 epochs × 20 steps: a loss point every step).</summary>
public class TrainerCurveTests
{
    [Fact]
    public void The_curve_has_a_loss_point_per_step_and_the_accuracy_per_epoch_in_order_and_the_sink_gets_the_same()
    {
        var received = new List<CurvePoint>();
        var (o, model) = TrainerTests.Run(7, onCurvePoints: received.AddRange);
        model.Dispose();

        Assert.Equal(42, o.Curve.Count);                              // 40 loss points + 2 evaluations of one metric
        Assert.Equal(o.Curve, received);
        var losses = o.Curve.Where(p => p.Kind == CurveKind.Loss).ToList();
        Assert.Equal(Enumerable.Range(1, 40).Select(s => (long)s), losses.Select(p => p.Step));
        Assert.Equal(1.5, losses[29].Epoch);                           // step 30 of 20 per epoch
        // The last epoch's loss points are its steps' losses: their mean is the outcome's final loss.
        Assert.Equal(o.FinalLoss, losses.Skip(20).Average(p => p.Value), 5);
        var evaluations = o.Curve.Where(p => p.Kind == CurveKind.Evaluation).ToList();
        Assert.Equal([(20L, 1.0, "accuracy"), (40L, 2.0, "accuracy")], evaluations.Select(p => (p.Step, p.Epoch, p.Name)));
        Assert.Equal(o.EpochScores, evaluations.Select(p => p.Value));
        Assert.Same(evaluations[0], o.Curve[20]);                      // right after step 20's loss
        Assert.True(o.Curve.Zip(o.Curve.Skip(1)).All(p => p.First.Seconds <= p.Second.Seconds), "seconds never go back");
        Assert.InRange(o.Curve[^1].Seconds, 1e-6, o.TotalSeconds);
    }

    [Fact]
    public void A_diverged_run_keeps_the_loss_points_of_its_finite_steps_and_no_evaluation()
    {
        var (o, model) = TrainerTests.Run(3, onStep: (info, m) => { if (info.Step == 5) m.PoisonForward = true; });
        model.Dispose();
        Assert.Equal(TrainStatus.Diverged, o.Status);
        Assert.Equal([1L, 2, 3, 4, 5], o.Curve.Select(p => p.Step));
        Assert.All(o.Curve, p => Assert.True(p.Kind == CurveKind.Loss && double.IsFinite(p.Value)));
    }
}
