using PeftGrid.Contracts.Trials;
using PeftGrid.Models.Bert;
using PeftGrid.Peft.Catalog;
using PeftGrid.Tasks.Classification;
using PeftGrid.Tasks.Pipeline;
using PeftGrid.Tasks.Runner;

namespace PeftGrid.Tasks.Tests.Pipeline;

/// <summary>The registry of executors by task kind, and the runner composed from it.</summary>
public class TrialExecutorsTests
{
    [Fact]
    public void The_default_registry_runs_classification_and_seq2seq_and_a_smaller_one_names_the_kinds_it_lacks()
    {
        Assert.Equal([TaskKind.Classification, TaskKind.Seq2Seq], TrialExecutors.Default.Kinds);
        Assert.Equal(TaskKind.Classification, TrialPlan.Create(new TrialSpec { Task = "mnli", Model = "minilm", Method = "bitfit" }, TestData.Root).TaskKind);
        Assert.Equal(TaskKind.Seq2Seq, TrialPlan.Create(new TrialSpec { Task = "xsum", Model = "minilm2minilm", Method = "bitfit" }, TestData.Root).TaskKind);
        var classificationOnly = new TrialExecutors([new TrialExecutor<SequenceClassifier>(new GlueClassificationTask(), new ClassifierFactory())]);
        var e = Assert.Throws<ArgumentException>(() => classificationOnly.For(TaskKind.Seq2Seq));
        Assert.Equal("no trial executor for task kind 'seq2seq' (known: classification)", e.Message);
    }

    [Fact]
    public void Two_executors_for_one_kind_are_refused()
    {
        var toy = new TrialExecutor<SequenceClassifier>(new ToyTask(), new TinyClassifierFactory());
        var e = Assert.Throws<ArgumentException>(() => new TrialExecutors([toy, toy]));
        Assert.StartsWith("two trial executors for task kind 'seq2seq'", e.Message);
    }

    [Fact]
    public async Task A_runner_without_an_executor_for_the_plans_kind_refuses_and_fails_the_cell()
    {
        var toyOnly = new TrialExecutors([new TrialExecutor<SequenceClassifier>(new ToyTask(), new TinyClassifierFactory())]);
        var runner = new TorchTrialRunner(TestData.Root, 2, toyOnly);
        var spec = new TrialSpec { Task = "sst2", Model = "minilm", Method = "lora-attn", Seed = 1 };
        Assert.Equal("no trial executor for task kind 'classification' (known: seq2seq)", runner.Refusal(spec));
        var result = await runner.RunAsync(spec, "cpu", null, CancellationToken.None);
        Assert.Equal(TrialStatus.Failed, result.Status);
        Assert.Equal("no trial executor for task kind 'classification' (known: seq2seq)", result.Error);
        Assert.Equal(spec.CellId, result.CellId);
    }

    [Fact]
    public void A_bad_cell_is_a_failed_execution_without_a_plan()
    {
        var spec = new TrialSpec { Task = "cola", Model = "minilm", Method = "lora-attn" };
        using var execution = TrialExecutors.Default.Execute(spec, TestData.Root);
        Assert.Equal(TrialStatus.Failed, execution.Result.Status);
        Assert.Contains("unknown task 'cola'", execution.Result.Error);
        Assert.Null(execution.Plan);
        Assert.Null(execution.Model);
    }
}
