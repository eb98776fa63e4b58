using System.Text.Json.Nodes;
using PeftGrid.Contracts.Trials;
using PeftGrid.Tasks.Adapters;
using PeftGrid.Tasks.Pipeline;
using PeftGrid.Tasks.Runner;
using TorchSharp.PyBridge;

namespace PeftGrid.Tasks.Tests.Runner;

/// <summary>Train minilm2minilm briefly on the real XSum / en-ro data, save the adapter (SEQ_2_SEQ_LM), reload it in a fresh model and
/// re-score by generation: the same ROUGE / BLEU as the trial reported, because the same evaluation code runs on the same weights.</summary>
[Trait("Category", "Slow")]
public class Seq2SeqAdapterRoundTripTests
{
    private static TrialSpec Spec(string task) => new()
    {
        Task = task, Model = "minilm2minilm", Method = "lora-attn[r=4,alpha=8]", Seed = 5,
        Profile = new TrainingProfile { MaxTrainExamples = 8, MaxEvalExamples = 3, MaxLength = 48, MaxTargetLength = 24, BatchSize = 4, LearningRate = 1e-3 },
    };

    [Theory]
    [InlineData("xsum", "rouge2", new[] { "rouge1", "rouge2", "rougeL", "rougeLsum" })]
    [InlineData("wmt16-en-ro", "bleu", new[] { "bleu", "bleuPaper" })]
    public void Saved_seq2seq_adapter_reloads_and_rescores_identically(string task, string primary, string[] metrics)
    {
        using var execution = TrialExecutors.Default.Execute(Spec(task), TestData.Root, new TrialRunOptions { Threads = 2 });
        Assert.True(execution.Result.Status == TrialStatus.Succeeded, execution.Result.Error);
        var folder = Path.Combine(Path.GetTempPath(), "peftgrid-s2s-adapter-" + Guid.NewGuid().ToString("N")[..10]);
        AdapterFiles.Save(folder, execution);

        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, AdapterFiles.ConfigFile)))!;
        Assert.Equal("SEQ_2_SEQ_LM", (string?)config["task_type"]);
        Assert.Equal("LORA", (string?)config["peft_type"]);
        Assert.Null(config["modules_to_save"]);
        var info = AdapterFiles.ReadInfo(folder);
        Assert.Equal((task, "minilm2minilm", 48, (int?)24, 0), (info.Task, info.Model, info.MaxLength, info.MaxTargetLength, info.NumLabels));
        Assert.Equal(execution.Result.Metrics[primary], info.Metrics[primary], 12);
        var saved = Safetensors.LoadStateDict(Path.Combine(folder, AdapterFiles.WeightsFile));
        Assert.Equal(execution.Model!.TrainableParameters().Count(), saved.Count);

        var score = AdapterEvaluator.Evaluate(folder, null, TestData.Root, maxEvalExamples: 3, threads: 2);
        Assert.Equal(3, score.Examples);
        Assert.NotNull(score.Generation);
        foreach (var m in metrics)
        {
            Assert.Equal(execution.Result.Metrics[m], score.Metrics[m], 6);
        }
        Assert.Throws<ArgumentException>(() => AdapterFiles.Load(folder)); // not a classifier
    }
}
