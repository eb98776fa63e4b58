using System.Diagnostics;
using PeftGrid.Contracts.Trials;
using PeftGrid.Models.Generation;
using PeftGrid.Models.Seq2Seq;
using PeftGrid.Tasks.Pipeline;
using PeftGrid.Tasks.Runner;
using PeftGrid.Tasks.Seq2Seq;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace PeftGrid.Tasks.Tests.Seq2Seq;

/// <summary>
/// Real minilm2minilm trainings through the trial pipeline (<see cref="TrialExecutors.Default"/>) on the shared XSum and en-ro
/// data (seed 42, small): the trained model's generation scores beat the same fresh model's (scored by the same
/// <see cref="Seq2SeqData"/>) and a floor set about 30 % below the value measured on the reference machine (2 cores).
/// </summary>
[Trait("Category", "Slow")]
public class Seq2SeqTrainingTests(ITestOutputHelper output)
{
    private static TrialSpec Spec(string task, int train, int epochs, int? tokensPerBatch = null) => new()
    {
        Task = task, Model = "minilm2minilm", Method = "lora-attn[r=16,alpha=32]", Seed = 42,
        Profile = new TrainingProfile
        {
            MaxTrainExamples = train, MaxEvalExamples = 16, MaxLength = 128, MaxTargetLength = 48, Epochs = epochs, BatchSize = 8,
            LearningRate = 1e-3, MaxTokensPerBatch = tokensPerBatch,
        },
    };

    /// <summary>Scores the fresh (untrained) model of <paramref name="spec"/> with the task's own evaluation: every epoch's
    /// metrics plus the final generation (en-ro generates only there).</summary>
    private IReadOnlyDictionary<string, double> Untrained(TrialSpec spec, Seq2SeqTask task)
    {
        var plan = TrialPlan.Create(spec, TestData.Root);
        var data = (Seq2SeqData)task.Load(plan);
        lock (TorchProcessState.Gate)
        {
            PeftGrid.Models.Runtime.TorchRuntime.Initialize();
            torch.manual_seed(spec.Seed);
            using var model = new Seq2SeqModelFactory().Create(plan);
            var clock = Stopwatch.StartNew();
            var metrics = data.FinalEvaluate(model, CPU, data.Evaluate(model, CPU));
            output.WriteLine($"untrained {spec.Task}: {Show(metrics)} in {clock.Elapsed.TotalSeconds:F1} s");
            return metrics;
        }
    }

    private TrialResult Train(TrialSpec spec, TrialExecutors executors)
    {
        using var execution = executors.Execute(spec, TestData.Root, new TrialRunOptions { Threads = Environment.ProcessorCount });
        var r = execution.Result;
        Assert.True(r.Status == TrialStatus.Succeeded, r.Error);
        output.WriteLine($"trained {spec.Task}: {Show(r.Metrics)}; {r.TrainSeconds:F1} s in all, train only {r.Training!.TrainOnlySeconds:F1} s, " +
                         $"{r.ExamplesPerSecond:F2} ex/s, {r.Training.Steps} steps, final train loss {r.Training.FinalTrainLoss:F3}, " +
                         $"generation {r.Generation!.Seconds:F1} s ({r.Generation.TokensPerSecond:F0} tok/s)");
        foreach (var s in r.Generation.Samples) output.WriteLine($"  [{s.Id}] ref: {s.Reference}\n        out: {s.Prediction}");
        return r;
    }

    private static string Show(IReadOnlyDictionary<string, double> m) => string.Join(", ", m.Select(kv => $"{kv.Key} {kv.Value:F3}"));

    [Fact]
    public void Xsum_rouge_after_training_beats_the_untrained_model_and_the_floor()
    {
        var spec = Spec("xsum", train: 96, epochs: 2);
        var before = Untrained(spec, new Seq2SeqTask());
        var after = Train(spec, TrialExecutors.Default);   // the paper's XSum decoding (beams 6, length 10–60, no-repeat 3)
        var m = after.Metrics;
        Assert.True(m["rouge1"] > before["rouge1"], $"ROUGE-1 {m["rouge1"]:F2} vs untrained {before["rouge1"]:F2}");
        Assert.True(m["rouge2"] > before["rouge2"], $"ROUGE-2 {m["rouge2"]:F2} vs untrained {before["rouge2"]:F2}");
        // measured on the reference machine (2 cores, seed 42): untrained R-1/2 0.00/0.00 (empty outputs); trained 10.92/0.52
        // (outputs of frequent words, "the the an the …"); floors about 30 % below
        Assert.True(m["rouge1"] > 7.5, $"ROUGE-1 {m["rouge1"]:F2} below the floor 7.5");
        Assert.True(m["rouge2"] > 0.35, $"ROUGE-2 {m["rouge2"]:F2} below the floor 0.35");
        Assert.Equal(["loss", "rouge1", "rouge2", "rougeL", "rougeLsum"], m.Keys.Order(StringComparer.Ordinal));
        var g = after.Generation!;
        Assert.Equal((6, 10, 60, 3, 60, 16, 3), (g.NumBeams, g.MinLength, g.MaxLength, g.NoRepeatNgramSize, g.ReferenceMaxTokens, g.Examples, g.Samples.Count));
        Assert.StartsWith("rouge_score|stem:porter-nltk", g.Signatures["rouge2"]);
        Assert.Equal("rouge2", after.Training!.SelectionMetric);
        Assert.False(after.Training.SelectionLowerIsBetter);
        Assert.Equal(0.1, after.Training.LabelSmoothing);
    }

    [Fact]
    public void En_ro_loss_and_bleu_after_training_beat_the_untrained_model_and_the_floor()
    {
        var spec = Spec("wmt16-en-ro", train: 96, epochs: 2);   // token batches of 1024 (the task's default): 12 steps
        // the paper's en-ro decoding (beams 5) with max length 48 instead of 150 (targets are cut at 48 here): an untrained model
        // never emits [SEP], and 150 steps of 5 beams would take minutes on 2 cores
        var task = new Seq2SeqTask { Decoding = GenerationOptions.EnRoTest with { MaxLength = 48 } };
        var before = Untrained(spec, task);
        var after = Train(spec, new TrialExecutors([new TrialExecutor<Seq2SeqModel>(task, new Seq2SeqModelFactory())]));
        var m = after.Metrics;
        // measured on the reference machine (2 cores, seed 42): dev loss 10.281 → 7.996; BLEU (13a, exp smoothing) 0.000 → 0.109;
        // BLEU of the paper's pipeline 0.000 → 0.000: it runs sacreBLEU with `-s none`, and after 12 steps the outputs share no
        // 4-gram with the references ("##iiii…"), so it stays 0 at this scale (a 384-token batching, 26 steps, gave the same).
        // So the test holds the loss and 13a BLEU to beat the untrained model and their floors, and the paper's BLEU to not fall.
        Assert.True(m["loss"] < before["loss"], $"dev loss {m["loss"]:F3} vs untrained {before["loss"]:F3}");
        Assert.True(m["loss"] < 8.7, $"dev loss {m["loss"]:F3} above the ceiling 8.7 (measured 7.996; untrained 10.281)");
        Assert.True(m["bleu"] > before["bleu"], $"BLEU {m["bleu"]:F3} vs untrained {before["bleu"]:F3}");
        Assert.True(m["bleu"] > 0.07, $"BLEU {m["bleu"]:F3} below the floor 0.07");
        Assert.True(m["bleuPaper"] >= before["bleuPaper"], $"BLEU (paper pipeline) {m["bleuPaper"]:F2} vs untrained {before["bleuPaper"]:F2}");
        Assert.Equal(["bleu", "bleuPaper", "loss"], m.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("loss", after.Training!.SelectionMetric);
        Assert.True(after.Training.SelectionLowerIsBetter);
        var g = after.Generation!;
        Assert.Equal((5, 48, 150, 16), (g.NumBeams, g.MaxLength, g.ReferenceMaxTokens, g.Examples));
        Assert.Contains("tok:13a", g.Signatures["bleu"]);
    }
}
