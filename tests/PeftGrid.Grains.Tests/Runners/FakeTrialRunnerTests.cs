using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using PeftGrid.Contracts.Grid;
using PeftGrid.Contracts.Trials;
using PeftGrid.Grains.Runners;
using Xunit;

namespace PeftGrid.Grains.Tests.Runners;

/// <summary>The training block travels with the result through workers, grains and storage, as the grid's result.json needs it.</summary>
[Collection(ClusterCollection.Name)]
public sealed class FakeTrialRunnerTests(ClusterFixture fx)
{
    private static readonly TrainingProfile Profile = new() { Epochs = 2, MaxTrainExamples = 200, MaxEvalExamples = 50, MaxLength = 64, BatchSize = 16, PrefixLearningRate = 2e-4 };

    private static void AssertSame(TrainingDetails expected, TrainingDetails? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected with { EpochAccuracies = [] }, actual with { EpochAccuracies = [] });
        Assert.Equal(expected.EpochAccuracies, actual.EpochAccuracies);
    }

    [Fact]
    public void The_fake_training_block_follows_the_profile()
    {
        var spec = new TrialSpec { Task = "sst2", Model = "fake", Method = "mam", Seed = 3, Profile = Profile };
        var t = FakeTrialRunner.TrainingOf(spec);
        Assert.Equal((2, 16, 64, 200, 50, 26L), (t.Epochs, t.BatchSize, t.MaxLength, t.TrainExamples, t.EvalExamples, t.Steps));   // 2 × ⌈200 / 16⌉
        Assert.Equal((1e-3, (double?)2e-4), (t.LearningRate, t.PrefixLearningRate));
        Assert.Equal([FakeTrialRunner.ScoreOf(spec), FakeTrialRunner.ScoreOf(spec)], t.EpochAccuracies);
    }

    [Fact]
    public async Task A_succeeded_cell_keeps_its_training_block_through_the_grid_and_a_failed_one_has_none()
    {
        var cells = ClusterFixture.Cells("training-block", 3).Select(c => c with { Profile = Profile }).ToList();
        var bad = new TrialSpec { Task = "sst2", Model = "training-block", Method = "always-fail", Seed = 9, Profile = Profile };
        await fx.Scheduler.SubmitAsync(new SweepRequest { SweepId = "training-block", Cells = [.. cells, bad], Policy = new FailurePolicy { MaxAttempts = 1 } });
        var status = await fx.WaitCompleteAsync("training-block", TimeSpan.FromSeconds(30));
        Assert.Equal((3, 1), (status.Succeeded, status.Failed));
        foreach (var spec in cells)
        {
            var result = (await fx.Client.GetGrain<IExperimentGrain>(spec.CellId).GetAsync()).Result!;
            AssertSame(FakeTrialRunner.TrainingOf(spec), result.Training);
        }
        Assert.Null((await fx.Client.GetGrain<IExperimentGrain>(bad.CellId).GetAsync()).Result!.Training);
    }

    [Fact]
    public void Orleans_serializes_the_training_block()
    {
        var serializer = fx.Client.ServiceProvider.GetRequiredService<Serializer>();
        var spec = new TrialSpec { Task = "sst2", Model = "fake", Method = "lora-attn", Profile = Profile };
        var result = new TrialResult { CellId = spec.CellId, Task = "sst2", Model = "fake", Method = "lora-attn", Training = FakeTrialRunner.TrainingOf(spec) with { FinalTrainLoss = null } };
        var back = serializer.Deserialize<TrialResult>(serializer.SerializeToArray(result));
        AssertSame(result.Training!, back!.Training);
    }
}
