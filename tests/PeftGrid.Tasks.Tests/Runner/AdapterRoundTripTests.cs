using System.Text.Json.Nodes;
using PeftGrid.Contracts.Trials;
using PeftGrid.Tasks.Adapters;
using PeftGrid.Tasks.Pipeline;
using PeftGrid.Tasks.Runner;
using TorchSharp.PyBridge;

namespace PeftGrid.Tasks.Tests.Runner;

/// <summary>Train briefly on real SST-2 with the real MiniLM, save the adapter, reload it in a fresh model and re-score.</summary>
public class AdapterRoundTripTests
{
    private static TrialSpec Spec(string method, double? budget) => new()
    {
        Task = "sst2", Model = "minilm", Method = method, BudgetPercent = budget, Seed = 3,
        Profile = new TrainingProfile { MaxTrainExamples = 96, MaxEvalExamples = 200, MaxLength = 32 },
    };

    [Theory]
    [InlineData("lora-attn", 0.5, "LORA", "base_model.model.encoder.layer.0.attention.self.query.lora_A.weight")]
    [InlineData("mam", 0.5, "PEFTGRID", "classifier.out_proj.weight")]
    [InlineData("prefix[l=4]", null, "PREFIX_TUNING", "classifier.dense.weight")]
    public void Saved_adapter_reloads_and_rescores_identically(string method, double? budget, string peftType, string expectedKey)
    {
        using var execution = TrialExecutors.Default.Execute(Spec(method, budget), TestData.Root, new TrialRunOptions { Threads = 2 });
        Assert.True(execution.Result.Status == TrialStatus.Succeeded, execution.Result.Error);
        var folder = Path.Combine(Path.GetTempPath(), "peftgrid-adapter-" + Guid.NewGuid().ToString("N")[..10]);
        AdapterFiles.Save(folder, execution);

        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, AdapterFiles.ConfigFile)))!;
        Assert.Equal(peftType, (string?)config["peft_type"]);
        Assert.Equal(execution.Result.Method, (string?)config["peftgrid"]!["spec"]);
        var saved = Safetensors.LoadStateDict(Path.Combine(folder, AdapterFiles.WeightsFile));
        Assert.Contains(expectedKey, saved.Keys);
        // Only trained parameters: no frozen backbone weight is written.
        Assert.DoesNotContain(saved.Keys, k => k.EndsWith("attention.self.query.weight", StringComparison.Ordinal));
        Assert.Equal(execution.Model!.TrainableParameters().Count(), saved.Count);

        var score = AdapterEvaluator.Evaluate(folder, "sst2", TestData.Root, maxEvalExamples: 200, threads: 2);
        Assert.Equal(200, score.Examples);
        Assert.Equal(execution.Result.Metrics["accuracy"], score.Accuracy, 6);
    }

    [Fact]
    public void Loading_into_a_differently_configured_model_names_the_mismatch()
    {
        using var execution = TrialExecutors.Default.Execute(Spec("lora-attn[r=4]", null), TestData.Root, new TrialRunOptions { Threads = 2 });
        var folder = Path.Combine(Path.GetTempPath(), "peftgrid-adapter-" + Guid.NewGuid().ToString("N")[..10]);
        AdapterFiles.Save(folder, execution);
        var path = Path.Combine(folder, AdapterFiles.ConfigFile);
        File.WriteAllText(path, File.ReadAllText(path).Replace("r=4", "r=8", StringComparison.Ordinal));
        var e = Assert.Throws<InvalidDataException>(() => AdapterFiles.Load(folder));
        Assert.Contains("lora_A", e.Message);
        Assert.Throws<DirectoryNotFoundException>(() => AdapterFiles.Load(folder + "-missing"));
    }
}
