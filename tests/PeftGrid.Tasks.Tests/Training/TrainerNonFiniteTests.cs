using PeftGrid.Tasks.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace PeftGrid.Tasks.Tests.Training;

/// <summary>A NaN/inf gradient with a finite loss: the step is skipped, not applied.</summary>
public class TrainerNonFiniteTests
{
    private static (TrainOutcome Outcome, ToyClassifier Model) Run(Action<TrainStepInfo, ToyClassifier> onStep, TrainerOptions? options = null) =>
        ToySeparableTask.Train(options ?? new TrainerOptions { Epochs = 1, LearningRate = 1e-2, Seed = 3 }, onStep);

    private static Dictionary<string, Tensor> Snapshot(ToyClassifier m) =>
        m.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());

    private static bool Same(ToyClassifier m, Dictionary<string, Tensor> snapshot) =>
        m.named_parameters().All(p => p.parameter.detach().equal(snapshot[p.name]).all().item<bool>());

    [Fact]
    public void Nan_gradient_with_finite_loss_is_skipped_and_training_goes_on()
    {
        Dictionary<string, Tensor>? before = null;
        var unchangedOverSkips = false;
        var (o, model) = Run((info, m) =>
        {
            if (info.Step == 5) { before = Snapshot(m); m.PoisonGradient = true; }  // steps 6 and 7 get a NaN gradient
            if (info.Step == 7) { unchangedOverSkips = Same(m, before!); m.PoisonGradient = false; }
        });
        Assert.Equal(TrainStatus.Completed, o.Status);
        Assert.True(unchangedOverSkips, "parameters changed during skipped steps");
        Assert.All(model.parameters(), p => Assert.True(p.isfinite().all().item<bool>()));
        Assert.Equal(20, o.Steps);          // 640 / 32 batches, the skipped two included
        Assert.Equal(2, o.SkippedSteps);
        Assert.True(o.BestScore > 0.9, $"accuracy {o.BestScore}");
    }

    [Fact]
    public void Too_many_consecutive_skips_end_the_run_as_diverged()
    {
        var seen = new List<long>();
        var options = new TrainerOptions { Epochs = 1, LearningRate = 1e-2, Seed = 3, MaxConsecutiveSkippedSteps = 3 };
        var (o, model) = Run((info, m) =>
        {
            seen.Add(info.SkippedSteps);
            if (info.Step == 2) m.PoisonGradient = true;   // step 3 skipped
            if (info.Step == 3) m.PoisonGradient = false;  // step 4 applied: the count of consecutive skips restarts
            if (info.Step == 4) m.PoisonGradient = true;   // steps 5, 6, 7 skipped: the third in a row ends the run
        }, options);
        Assert.Equal(TrainStatus.Diverged, o.Status);
        Assert.Equal(7, o.DivergedAtStep);
        Assert.Equal(7, o.Steps);
        Assert.Equal(4, o.SkippedSteps);
        Assert.Equal(new long[] { 0, 0, 1, 1, 2, 3, 4 }, seen);
        Assert.Equal("gradient norm was NaN/inf in 3 consecutive steps up to step 7 (4 steps skipped in all)", o.DivergenceReason);
        Assert.Empty(o.EpochScores);
        Assert.All(model.parameters(), p => Assert.True(p.isfinite().all().item<bool>()));
    }

    [Theory]
    [InlineData(float.NaN, 1.0)]
    [InlineData(float.PositiveInfinity, 1.0)]
    [InlineData(float.NaN, 0.0)]     // clipping off: the norm is still checked
    public void A_skipped_step_leaves_parameters_and_adamw_moments_unchanged(float poison, double maxGradNorm)
    {
        torch.manual_seed(5);
        using var model = new ToyClassifier(64, 8, 2);
        var named = model.Roles();
        var parameters = named.Select(p => p.Parameter).ToList();
        using var optimizer = OptimizerFactory.Create(named, new TrainerOptions { LearningRate = 0.1 });
        var ids = torch.tensor(new long[] { 1, 5, 9, 2, 7, 3 }, [2, 3]);
        var types = torch.zeros(2, 3, ScalarType.Int64);
        var mask = torch.ones(2, 3, ScalarType.Int64);
        var labels = torch.tensor(new long[] { 0, 1 });

        // One real step so that the moments are non-zero.
        optimizer.zero_grad();
        nn.functional.cross_entropy(model.forward(ids, types, mask), labels).backward();
        var first = Trainer.GuardedStep(optimizer, parameters, maxGradNorm);
        Assert.True(first.Applied);
        Assert.True(double.IsFinite(first.GradNorm) && first.GradNorm > 0);

        var state = optimizer.state_dict().State.Cast<TorchSharp.Modules.AdamW.State>().ToList();
        var before = Snapshot(model);
        var moments = state.Select(s => (s.step, Avg: s.exp_avg.clone(), Sq: s.exp_avg_sq.clone())).ToList();

        // A finite loss whose gradient has one poisoned entry in one tensor.
        optimizer.zero_grad();
        nn.functional.cross_entropy(model.forward(ids, types, mask), labels).backward();
        using (torch.no_grad()) parameters[1].grad![0] = poison;
        var second = Trainer.GuardedStep(optimizer, parameters, maxGradNorm);

        Assert.False(second.Applied);
        Assert.False(double.IsFinite(second.GradNorm));
        Assert.True(Same(model, before), "parameters changed");
        for (var i = 0; i < state.Count; i++)
        {
            Assert.Equal(moments[i].step, state[i].step);
            Assert.True(state[i].exp_avg.equal(moments[i].Avg).all().item<bool>(), $"exp_avg {i} changed");
            Assert.True(state[i].exp_avg_sq.equal(moments[i].Sq).all().item<bool>(), $"exp_avg_sq {i} changed");
        }
    }

    [Fact]
    public void Grad_norm_is_the_global_l2_norm()
    {
        using var a = nn.Parameter(torch.zeros(2));
        using var b = nn.Parameter(torch.zeros(1, 1));
        a.grad = torch.tensor(new[] { 3f, 0f });
        b.grad = torch.tensor(new[] { 4f }).reshape(1, 1);
        Assert.Equal(5.0, Trainer.GradNorm([a, b]), 6);        // √(3² + 4²)
        Assert.Equal(0.0, Trainer.GradNorm([nn.Parameter(torch.zeros(3))]));
    }

    [Fact]
    public void Max_consecutive_skipped_steps_below_1_is_rejected()
    {
        var e = Assert.Throws<ArgumentException>(() => Run((_, _) => { }, new TrainerOptions { MaxConsecutiveSkippedSteps = 0 }));
        Assert.Contains("max consecutive skipped steps must be at least 1 (got 0)", e.Message);
    }
}
