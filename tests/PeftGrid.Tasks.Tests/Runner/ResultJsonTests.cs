using System.Text.Json;
using PeftGrid.Contracts.Json;
using PeftGrid.Contracts.Trials;
using PeftGrid.Tasks.Runner;

namespace PeftGrid.Tasks.Tests.Runner;

/// <summary><c>result.json</c> is written with the solution's one set of JSON options (<see cref="PeftGridJson.Options"/>).</summary>
public class ResultJsonTests
{
    private static readonly TrialResult Result = new()
    {
        CellId = "0123456789abcdef", Task = "sst2", Model = "minilm", Method = "pa-attn+pa-ffn[attn_r=16,ffn_r=16]", Seed = 42,
        Status = TrialStatus.Diverged, Metrics = new Dictionary<string, double> { ["accuracy"] = double.NaN }, DivergedAtStep = 7,
    };

    [Fact]
    public void APlusInAMethodIsWrittenAsAPlus()
    {
        var json = ResultJson.Serialize(Result with { Error = "s·r ≥ 1 <ok> & 'fine'" });
        Assert.Contains("\"method\": \"pa-attn+pa-ffn[attn_r=16,ffn_r=16]\"", json);
        Assert.Contains("\"error\": \"s·r ≥ 1 <ok> & 'fine'\"", json);
        Assert.DoesNotContain("\\u", json);
    }

    [Fact]
    public void StatusIsLowerCaseNaNIsAStringAndTheResultReadsBack()
    {
        var json = ResultJson.Serialize(Result);
        Assert.Contains("\"status\": \"diverged\"", json);
        Assert.Contains("\"accuracy\": \"NaN\"", json);
        var back = JsonSerializer.Deserialize<TrialResult>(json, PeftGridJson.Options)!;
        Assert.Equal((Result.Method, Result.Status, Result.DivergedAtStep), (back.Method, back.Status, back.DivergedAtStep));
        Assert.True(double.IsNaN(back.Metrics["accuracy"]));
    }

    /// <summary>The <c>training</c> block has the names the train command's dictionary had, in that order, and reads back.</summary>
    [Fact]
    public void TheTrainingBlockHasItsFieldsUnderTheirJsonNamesAndReadsBack()
    {
        var training = new TrainingDetails
        {
            LearningRate = 1e-3, PrefixLearningRate = 1e-4, Epochs = 2, BatchSize = 32, MaxLength = 64, TrainExamples = 3000,
            EvalExamples = 872, EvalFile = "glue/SST-2/dev.tsv", Steps = 188, EpochAccuracies = [0.81, 0.825], FinalTrainLoss = 0.41,
            TrainOnlySeconds = 21.5, TokensPerSecond = 3500.25, BaselineMemoryBytes = 1L << 30, Threads = 2, WeightDecay = 0.1,
            WarmupRatio = 0.06, MaxGradNorm = 1.0, MaxConsecutiveSkippedSteps = 10,
        };
        var json = ResultJson.Serialize(Result with { Status = TrialStatus.Succeeded, Training = training });
        using var doc = JsonDocument.Parse(json);
        var block = doc.RootElement.GetProperty("training");
        Assert.Equal(["learningRate", "prefixLearningRate", "epochs", "batchSize", "maxLength", "trainExamples", "evalExamples", "evalFile",
            "steps", "epochAccuracies", "finalTrainLoss", "trainOnlySeconds", "tokensPerSecond", "baselineMemoryBytes", "threads",
            "weightDecay", "warmupRatio", "maxGradNorm", "maxConsecutiveSkippedSteps", "beta1", "beta2", "epsilon", "labelSmoothing",
            "endLearningRate", "selectionMetric", "selectionLowerIsBetter", "maxTargetLength", "maxTokensPerBatch", "epochSelectionScores", "droppedRows", "droppedRowCount",
            "precision", "lowPrecisionBase", "overflowSkippedSteps", "finalLossScale"], block.EnumerateObject().Select(p => p.Name));
        Assert.Equal(0.825, block.GetProperty("epochAccuracies")[1].GetDouble());
        Assert.Equal("glue/SST-2/dev.tsv", block.GetProperty("evalFile").GetString());
        var back = JsonSerializer.Deserialize<TrialResult>(json, PeftGridJson.Options)!.Training!;
        Assert.Equal(training with { EpochAccuracies = [], EpochSelectionScores = [], DroppedRows = [] }, back with { EpochAccuracies = [], EpochSelectionScores = [], DroppedRows = [] });
        Assert.Equal(training.EpochAccuracies, back.EpochAccuracies);

        var none = ResultJson.Serialize(Result with { Training = training with { PrefixLearningRate = null, FinalTrainLoss = null } });
        Assert.Contains("\"prefixLearningRate\": null", none);
        Assert.Contains("\"finalTrainLoss\": null", none);
        Assert.Null(JsonSerializer.Deserialize<TrialResult>(ResultJson.Serialize(Result), PeftGridJson.Options)!.Training);
    }

    [Fact]
    public void TheOptionsAreSharedAndReadOnly()
    {
        Assert.True(PeftGridJson.Options.IsReadOnly);
        Assert.Throws<InvalidOperationException>(() => PeftGridJson.Options.WriteIndented = false);
    }
}
