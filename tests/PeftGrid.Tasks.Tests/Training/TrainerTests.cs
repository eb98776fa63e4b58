using PeftGrid.Contracts.Trials;
using PeftGrid.Tasks.Batching;
using PeftGrid.Tasks.Classification;
using PeftGrid.Tasks.Text;
using PeftGrid.Tasks.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace PeftGrid.Tasks.Tests.Training;

public class TrainerTests
{
    // Label 1: tokens from 10..29, label 0: tokens from 30..49, plus shared noise tokens 50..59.
    private static List<EncodedExample> Task(int n, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, n).Select(_ =>
        {
            var label = random.Next(2);
            var len = random.Next(4, 16);
            var ids = Enumerable.Range(0, len).Select(i => i == 0 ? 101 : random.Next(3) == 0 ? random.Next(50, 60)
                : label == 1 ? random.Next(10, 30) : random.Next(30, 50)).ToArray();
            return new EncodedExample(ids, new int[len], label);
        }).ToList();
    }

    private static readonly List<EncodedExample> TrainSet = Task(640, 1);
    private static readonly List<EncodedExample> DevSet = Task(200, 2);

    /// <summary>Trains the toy classifier on the separable task (20 batches of 32 per epoch).</summary>
    internal static (TrainOutcome Outcome, ToyClassifier Model) Run(int seed, int epochs = 2, Action<TrainStepInfo, ToyClassifier>? onStep = null,
        CancellationToken ct = default, Action<IReadOnlyList<CurvePoint>>? onCurvePoints = null)
    {
        torch.manual_seed(seed);
        var model = new ToyClassifier(128, 16, 2);
        var options = new TrainerOptions { Epochs = epochs, LearningRate = 1e-2, Seed = seed, BatchSize = 32 };
        var outcome = Trainer.Train(model, model.Roles(),
            new ClassificationData(new LengthBucketedBatcher(TrainSet, 32, 0), new LengthBucketedBatcher(DevSet, 64, 0)), options, CPU,
            onStep is null ? null : info => onStep(info, model), onCurvePoints, ct);
        return (outcome, model);
    }

    [Fact]
    public void Learns_a_separable_task()
    {
        var (o, model) = Run(7);
        Assert.Equal(TrainStatus.Completed, o.Status);
        Assert.Equal(40, o.Steps); // 2 epochs × 20 batches
        Assert.Equal(2, o.EpochScores.Count);
        Assert.True(o.BestScore >= 0.95, $"accuracy {o.BestScore}");
        Assert.True(o.FinalLoss < 0.5, $"loss {o.FinalLoss}");
        Assert.True(o.ExamplesPerSecond > 0);
        Assert.False(model.training); // left in eval mode
        model.Dispose();
    }

    [Fact]
    public void Same_seed_gives_identical_metrics_and_weights_other_seed_differs()
    {
        var (a, ma) = Run(11);
        var (b, mb) = Run(11);
        var (c, mc) = Run(12);
        Assert.Equal(a.EpochScores, b.EpochScores);
        Assert.Equal(a.FinalLoss, b.FinalLoss);
        foreach (var ((name, pa), (_, pb), (_, pc)) in ma.named_parameters().Zip(mb.named_parameters(), mc.named_parameters()))
        {
            Assert.True(pa.eq(pb).all().item<bool>(), name);
            Assert.False(pa.eq(pc).all().item<bool>(), name);
        }
    }

    [Fact]
    public void Nan_loss_stops_as_diverged_with_the_step()
    {
        var (o, _) = Run(3, onStep: (info, m) => { if (info.Step == 5) m.PoisonForward = true; });
        Assert.Equal(TrainStatus.Diverged, o.Status);
        Assert.Equal(6, o.DivergedAtStep);
        Assert.Equal(5, o.Steps);
        Assert.Empty(o.EpochScores);
    }

    [Fact]
    public void Best_epoch_weights_are_restored_when_the_last_epoch_is_worse()
    {
        // After the last step, wreck the head: the last epoch's dev accuracy collapses and epoch 2's weights must come back.
        var (o, model) = Run(5, epochs: 3, onStep: (info, m) =>
        {
            if (info.Step != info.TotalSteps) return;
            using var noGrad = torch.no_grad();
            var w = m.named_parameters().Single(p => p.name == "classifier.weight").parameter;
            w.copy_(w * -1.0);
        });
        Assert.Equal(3, o.EpochScores.Count);
        Assert.True(o.EpochScores[2] < 0.5, $"sabotaged epoch {o.EpochScores[2]}");
        Assert.NotEqual(3, o.BestEpoch);
        Assert.Equal(o.EpochScores.Max(), o.BestScore);
        var (again, _) = Evaluator.Evaluate(model, new LengthBucketedBatcher(DevSet, 64, 0), CPU, DevSet.Count);
        Assert.Equal(o.BestScore, again, 12);
    }

    [Fact]
    public void Cancellation_stops_between_steps()
    {
        using var cts = new CancellationTokenSource();
        var (o, _) = Run(3, onStep: (info, _) => { if (info.Step == 3) cts.Cancel(); }, ct: cts.Token);
        Assert.Equal(TrainStatus.Cancelled, o.Status);
        Assert.Equal(3, o.Steps);
    }
}
