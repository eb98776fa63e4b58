using PeftGrid.Contracts.Trials;
using PeftGrid.Tasks.Runner;

namespace PeftGrid.Tasks.Tests.Runner;

public class TorchTrialRunnerTests
{
    private static TrialSpec Spec(string method = "lora-attn", double? budget = 0.5, string task = "sst2", int maxLength = 32, int seed = 5) => new()
    {
        Task = task, Model = "minilm", Method = method, BudgetPercent = budget, Seed = seed,
        Profile = new TrainingProfile { MaxTrainExamples = 64, MaxEvalExamples = 64, MaxLength = maxLength },
    };

    [Theory]
    [InlineData("mam", null, 1e-3, 1e-4)]        // default: the prefix encoder at a tenth of the peak rate
    [InlineData("lora-attn", null, 1e-3, 1e-4)]  // no prefix encoder: the rate is planned but no parameter uses it
    [InlineData("full", null, 1e-4, 1e-5)]
    [InlineData("mam", 3e-4, 1e-3, 3e-4)]        // --prefix-lr / profile.prefixLearningRate wins
    public void Prefix_encoder_rate_defaults_to_a_tenth_of_the_peak_rate(string method, double? prefixLr, double expectedLr, double expectedPrefixLr)
    {
        var spec = Spec(method, null) with { Profile = Spec().Profile with { PrefixLearningRate = prefixLr } };
        var plan = TrialPlan.Create(spec, TestData.Root);
        Assert.Equal(expectedLr, plan.LearningRate, 12);
        Assert.Equal(expectedPrefixLr, plan.PrefixLearningRate, 12);
        // Unset, the profile's canonical form (hashed into the cell id) is the one from before the knob existed.
        Assert.Equal("e=1;n=64;v=64;t=32;b=32;lr=" + (prefixLr is null ? "" : ";plr=0.0003"), spec.Profile.Canonical());
    }

    [Fact]
    public void A_non_positive_prefix_learning_rate_is_an_error_naming_it()
    {
        var spec = Spec("mam") with { Profile = Spec().Profile with { PrefixLearningRate = 0 } };
        var e = Assert.Throws<ArgumentException>(() => TrialPlan.Create(spec, TestData.Root));
        Assert.Contains("prefix learning rate must be positive", e.Message);
    }

    [Theory]
    [InlineData("cola", "lora-attn", 0.5, 32, "unknown task 'cola'")]
    [InlineData("sst2", "lora-attn[q=3]", null, 32, "q")]
    [InlineData("sst2", "lora-attn", 0.5, 7, "at least 8")]
    [InlineData("sst2", "lora-attn", 0.5, 513, "max length 513 is beyond minilm's 512 positions")]
    [InlineData("sst2", "full", 0.5, 32, "")]
    public async Task Bad_cells_fail_with_a_reason_and_never_throw(string task, string method, double? budget, int maxLength, string expected)
    {
        var runner = new TorchTrialRunner(TestData.Root, threads: 2);
        var spec = Spec(method, budget, task, maxLength);
        var refusal = runner.Refusal(spec);
        Assert.NotNull(refusal);
        Assert.Contains(expected, refusal);
        var result = await runner.RunAsync(spec, "cpu", null, CancellationToken.None);
        Assert.Equal(TrialStatus.Failed, result.Status);
        Assert.Equal(refusal, result.Error);
        Assert.Equal(spec.CellId, result.CellId);
    }

    [Fact]
    public void The_trainer_runs_the_catalogs_runnable_tasks_on_minilm_and_refuses_other_models_with_the_reason()
    {
        Assert.Equal(["sst2", "mnli", "mnli-mm", "xsum", "wmt16-en-ro"], TorchTrialRunner.Supported.Tasks);
        Assert.Equal(["minilm", "minilm2minilm"], TorchTrialRunner.Supported.Models);
        Assert.False(TorchTrialRunner.Supported.CheckpointPaths);
        var runner = new TorchTrialRunner(TestData.Root, threads: 2);
        Assert.Same(TorchTrialRunner.Supported, runner.Capabilities);
        Assert.Equal("model 'roberta-base' is not run by this build's trainer; it runs: minilm, minilm2minilm", runner.Refusal(Spec() with { Model = "roberta-base" }));
        Assert.Null(runner.Refusal(Spec() with { Model = "All-MiniLM-L6-v2", Task = "SST-2" }));
    }

    [Fact]
    public async Task Missing_data_root_is_a_failed_result()
    {
        var missing = Path.Combine(Path.GetTempPath(), "peftgrid-missing-" + Guid.NewGuid().ToString("N"));
        var runner = new TorchTrialRunner(missing, threads: 2);
        var result = await runner.RunAsync(Spec(), "cpu", null, CancellationToken.None);
        Assert.Equal(TrialStatus.Failed, result.Status);
        Assert.Contains(missing, result.Error);
    }

    [Fact]
    public async Task Same_seed_same_metrics_and_the_result_json_has_the_design_fields()
    {
        var runner = new TorchTrialRunner(TestData.Root, threads: 2);
        var progress = new List<TrialProgress>();
        var a = await runner.RunAsync(Spec(), "cpu", new SyncProgress(progress), CancellationToken.None);
        var b = await runner.RunAsync(Spec(), "cpu", null, CancellationToken.None);
        Assert.Equal(TrialStatus.Succeeded, a.Status);
        Assert.Equal(a.Metrics["accuracy"], b.Metrics["accuracy"]);
        Assert.Equal("lora-attn[r=12,alpha=24]", a.Method);   // s = alpha / r = 2 at every tier (BudgetSolver.Rule)
        Assert.InRange(a.Budget.Percent, 0.45, 0.55);
        Assert.Equal(a.Budget.PaperCount, a.Budget.TrainableCount); // LoRA: no extra trainables beyond A, B (head excluded)
        Assert.True(a.PeakMemoryBytes > 100L << 20, $"peak {a.PeakMemoryBytes}");
        Assert.Equal(2, progress[^1].TotalSteps);
        Assert.Equal(2, progress[^1].Step);

        var json = ResultJson.Serialize(a);
        foreach (var field in new[] { "\"cellId\"", "\"task\"", "\"model\"", "\"method\"", "\"modifications\"", "\"modifiedRepresentation\"",
                     "\"functionalForm\"", "\"insertionForm\"", "\"compositionFunction\"", "\"budget\"", "\"paperCount\"", "\"trainableCount\"",
                     "\"totalCount\"", "\"percent\"", "\"seed\"", "\"status\": \"succeeded\"", "\"metrics\"", "\"accuracy\"", "\"trainSeconds\"",
                     "\"examplesPerSecond\"", "\"peakMemoryBytes\"", "\"versions\"", "\"torchsharp\"", "\"libtorch\"", "\"skippedSteps\": 0" })
        {
            Assert.Contains(field, json);
        }
        // The runner (so the grid) writes the training block the train command writes.
        var t = a.Training!;
        Assert.Equal((1, 32, 32, 64, 64), (t.Epochs, t.BatchSize, t.MaxLength, t.TrainExamples, t.EvalExamples));
        Assert.Equal(Path.Combine("glue", "SST-2", "dev.tsv"), t.EvalFile);
        Assert.Equal(2, t.Steps);
        Assert.Equal([a.Metrics["accuracy"]], t.EpochAccuracies);
        Assert.Equal((1e-3, (double?)null, 2), (t.LearningRate, t.PrefixLearningRate, t.Threads));   // lora-attn: no prefix encoder
        Assert.Equal(t.EpochAccuracies, b.Training!.EpochAccuracies);
        Assert.Equal(t.FinalTrainLoss, b.Training.FinalTrainLoss);
        Assert.Contains("\"training\": {", json);
        Assert.Contains("\"evalFile\": \"glue/SST-2/dev.tsv\"", json);
        var path = Path.Combine(Path.GetTempPath(), "peftgrid-result-" + Guid.NewGuid().ToString("N")[..8] + ".json");
        ResultJson.Write(path, a);
        var back = ResultJson.Read(path);
        Assert.Equal(a.Metrics["accuracy"], back.Metrics["accuracy"]);
        Assert.Equal(t, back.Training! with { EpochAccuracies = t.EpochAccuracies, EpochSelectionScores = t.EpochSelectionScores, DroppedRows = t.DroppedRows });
        Assert.Equal(t.EpochSelectionScores, back.Training.EpochSelectionScores);
        Assert.Equal(t.DroppedRows, back.Training.DroppedRows);
        Assert.Equal(t.EpochAccuracies, back.Training.EpochAccuracies);
    }

    [Fact]
    public async Task Huge_learning_rate_diverges_and_reports_the_step()
    {
        var runner = new TorchTrialRunner(TestData.Root, threads: 2);
        var spec = Spec("full", null) with { Profile = new TrainingProfile { MaxTrainExamples = 256, MaxEvalExamples = 32, MaxLength = 16, LearningRate = 1e12 } };
        var result = await runner.RunAsync(spec, "cpu", null, CancellationToken.None);
        Assert.Equal(TrialStatus.Diverged, result.Status);
        Assert.NotNull(result.DivergedAtStep);
        Assert.InRange(result.DivergedAtStep!.Value, 2, 8);
        Assert.Contains($"step {result.DivergedAtStep}", result.Error);
        Assert.Contains("\"status\": \"diverged\"", ResultJson.Serialize(result));
    }

    private sealed class SyncProgress(List<TrialProgress> sink) : IProgress<TrialProgress>
    {
        public void Report(TrialProgress value) => sink.Add(value);
    }
}
