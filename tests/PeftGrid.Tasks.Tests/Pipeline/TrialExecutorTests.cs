using PeftGrid.Contracts.Trials;
using PeftGrid.Models.Bert;
using PeftGrid.Peft.Catalog;
using PeftGrid.Tasks.Pipeline;
using PeftGrid.Tasks.Runner;

namespace PeftGrid.Tasks.Tests.Pipeline;

/// <summary>The executor runs whatever task definition and model factory it is given, and writes the training details.</summary>
public class TrialExecutorTests
{
    private static TrialPlan Plan(string method, int seed = 4) => TrialPlan.Create(new TrialSpec
    {
        Task = "sst2", Model = "minilm", Method = method, Seed = seed,
        Profile = new TrainingProfile { MaxLength = 24, Epochs = 2 },
    }, TestData.Root);

    [Fact]
    public void Runs_the_injected_task_and_model_and_fills_the_training_details()
    {
        var task = new ToyTask();
        var executor = new TrialExecutor<SequenceClassifier>(task, new TinyClassifierFactory());
        Assert.Equal(TaskKind.Seq2Seq, executor.Kind);
        var plan = Plan("mam[l=4,r=4,s=2,mid=8]");
        using var execution = executor.Execute(plan, new TrialRunOptions { Threads = 2 });
        var r = execution.Result;

        Assert.True(r.Status == TrialStatus.Succeeded, r.Error);
        Assert.Equal(1, task.Loads);
        Assert.Equal(["accuracy"], r.Metrics.Keys);
        Assert.InRange(r.BestEpoch, 1, 2);
        var t = r.Training!;
        Assert.Equal((64, 40, "toy/dev.tsv"), (t.TrainExamples, t.EvalExamples, t.EvalFile));
        Assert.Equal((2, 32, 24), (t.Epochs, t.BatchSize, t.MaxLength));
        Assert.Equal(4, t.Steps);                                    // 2 epochs × ⌈64 / 32⌉
        Assert.Equal(2, t.EpochAccuracies.Count);
        Assert.Equal(t.EpochAccuracies[r.BestEpoch - 1], r.Metrics["accuracy"]);
        Assert.Equal(t.EpochAccuracies.Max(), r.Metrics["accuracy"]);
        Assert.Equal(1e-3, t.LearningRate, 15);
        Assert.Equal(1e-4, t.PrefixLearningRate!.Value, 15);         // mam trains a prefix encoder: a tenth of the rate
        Assert.Equal(2, t.Threads);
        Assert.Equal((0.1, 0.06, 1.0, 10), (t.WeightDecay, t.WarmupRatio, t.MaxGradNorm, t.MaxConsecutiveSkippedSteps));
        Assert.True(t.FinalTrainLoss is > 0 and < 2, $"loss {t.FinalTrainLoss}");
        Assert.True(t.TrainOnlySeconds > 0 && t.TokensPerSecond > 0 && t.BaselineMemoryBytes > 0);
        Assert.Equal("mam[l=4,r=4,s=2,mid=8]", r.Method);
        Assert.Equal(2, r.Modifications.Count);
        Assert.IsType<SequenceClassifier>(execution.Model);
        Assert.Same(plan, execution.Plan);
    }

    [Fact]
    public void The_prefix_rate_is_reported_only_when_a_prefix_encoder_trains_and_seeding_makes_runs_identical()
    {
        var executor = new TrialExecutor<SequenceClassifier>(new ToyTask(), new TinyClassifierFactory());
        using var a = executor.Execute(Plan("lora-attn[r=2]"), new TrialRunOptions { Threads = 2 });
        using var b = executor.Execute(Plan("lora-attn[r=2]"), new TrialRunOptions { Threads = 2 });
        using var c = executor.Execute(Plan("lora-attn[r=2]", seed: 5), new TrialRunOptions { Threads = 2 });
        Assert.Null(a.Result.Training!.PrefixLearningRate);
        Assert.Equal(a.Result.Training.EpochAccuracies, b.Result.Training!.EpochAccuracies);
        Assert.Equal(a.Result.Training.FinalTrainLoss, b.Result.Training.FinalTrainLoss);
        var sa = a.Model!.AdapterStateDict();
        var sb = b.Model!.AdapterStateDict();
        var sc = c.Model!.AdapterStateDict();
        Assert.All(sa, kv => Assert.True(kv.Value.eq(sb[kv.Key]).all().item<bool>(), kv.Key));
        Assert.Contains(sa, kv => !kv.Value.eq(sc[kv.Key]).all().item<bool>());
    }

    [Fact]
    public void A_failing_model_factory_is_a_failed_result_with_the_plan()
    {
        var executor = new TrialExecutor<SequenceClassifier>(new ToyTask(), new TinyClassifierFactory { Throw = true });
        var plan = Plan("lora-attn[r=2]");
        using var execution = executor.Execute(plan, new TrialRunOptions { Threads = 2 });
        Assert.Equal(TrialStatus.Failed, execution.Result.Status);
        Assert.Equal("checkpoint 'tiny' lacks encoder.layer.0.attention.self.query.weight", execution.Result.Error);
        Assert.Equal(plan.Config.Spec, execution.Result.Method);   // the resolved form, not the spec as written
        Assert.Equal(plan.Modifications().Count, execution.Result.Modifications.Count);
        Assert.Null(execution.Model);
        Assert.Null(execution.Result.Training);
        Assert.Same(plan, execution.Plan);
    }
}
