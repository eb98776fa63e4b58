using PeftGrid.Cli.Commands;
using PeftGrid.Contracts.Trials;
using Spectre.Console;
using Xunit;

namespace PeftGrid.Integration.Tests.Cli;

/// <summary><c>peftgrid train</c>'s defaults by task kind and its report of a seq2seq result (metrics in points, generation, samples).</summary>
public sealed class TrainReportTests
{
    [Theory]
    [InlineData("sst2", "minilm", 128)]
    [InlineData("mnli", "minilm", 128)]
    [InlineData("xsum", "minilm2minilm", 512)]
    [InlineData("wmt16-en-ro", "minilm2minilm", 150)]
    public void DefaultsDependOnTheTask(string task, string model, int maxLength)
    {
        Assert.Equal(model, TrainCommand.DefaultModel(task));
        Assert.Equal(maxLength, TrainCommand.DefaultMaxLength(task));
    }

    [Fact]
    public void AnUnknownTaskNamesTheAllowedOnes()
    {
        var e = Assert.Throws<ArgumentException>(() => TrainCommand.DefaultModel("cola"));
        Assert.Contains("xsum", e.Message);
    }

    private static string Render(TrialResult result)
    {
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer), ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.No });
        console.Profile.Width = 250;
        foreach (var part in TrainReport.Build(result, null, null)) console.Write(part);
        return writer.ToString();
    }

    [Fact]
    public void XSumReportShowsRougeInPointsSelectionGenerationAndSamples()
    {
        var result = new TrialResult
        {
            CellId = "c1", Task = "xsum", Model = "minilm2minilm", Method = "lora-attn[r=8,alpha=16]", Status = TrialStatus.Succeeded,
            Metrics = new Dictionary<string, double> { ["rouge1"] = 21.375, ["rouge2"] = 4.25, ["rougeL"] = 17.5, ["rougeLsum"] = 17.625, ["loss"] = 6.1 },
            Training = new TrainingDetails { MaxLength = 128, MaxTargetLength = 48, EpochAccuracies = [3.5, 4.25], SelectionMetric = "rouge2", LabelSmoothing = 0.1 },
            Generation = new GenerationReport
            {
                NumBeams = 6, MinLength = 10, MaxLength = 60, NoRepeatNgramSize = 3, LengthPenalty = 1, ReferenceMaxTokens = 60, Examples = 40,
                Signatures = new Dictionary<string, string> { ["rouge2"] = "rouge_score: stemmer on" },
                Samples = [new GenerationSample { Id = "3612", Prediction = "the cat sat", Reference = "a cat sat down" }],
            },
        };
        var text = Render(result);
        Assert.Contains("dev ROUGE-2 (F×100)", text);
        Assert.Contains("4.25", text);         // stored in points: shown as is, not 425.00
        Assert.DoesNotContain("425.00", text);
        Assert.Contains("21.38", text);        // R-1 21.375 → .NET "0.00" rounds the exact midpoint away from zero
        Assert.Contains("17.63", text);        // R-Lsum 17.625
        Assert.Contains("ROUGE-2 (F×100) per epoch", text);
        Assert.Contains("3.50, 4.25", text);
        Assert.Contains("maxTargetLength", text);
        Assert.Contains("beams 6, length 10–60, no-repeat 3", text);
        Assert.Contains("rouge_score: stemmer on", text);
        Assert.Contains("the cat sat", text);
        Assert.Contains("a cat sat down", text);
        Assert.DoesNotContain("dev loss", text);
    }

    [Fact]
    public void EnRoReportShowsBothBleusAndTheLossSelection()
    {
        var result = new TrialResult
        {
            CellId = "c2", Task = "wmt16-en-ro", Model = "minilm2minilm", Method = "prefix[l=4]", Status = TrialStatus.Succeeded,
            Metrics = new Dictionary<string, double> { ["bleu"] = 1.5, ["bleuPaper"] = 2.25 },
            Training = new TrainingDetails { SelectionMetric = "loss", SelectionLowerIsBetter = true, EpochSelectionScores = [7.125, 6.5], MaxTokensPerBatch = 1024 },
        };
        var text = Render(result);
        Assert.Contains("dev BLEU ", text);
        Assert.Contains("1.50", text);
        Assert.Contains("dev BLEU (paper pipeline)", text);
        Assert.Contains("2.25", text);
        Assert.Contains("selection: loss (lower is better) per epoch", text);
        Assert.Contains("7.1250, 6.5000", text);
        Assert.Contains("maxTokensPerBatch", text);
    }

    [Fact]
    public void GlueAccuracyStaysAPercentage()
    {
        var result = new TrialResult
        {
            CellId = "c3", Task = "sst2", Model = "minilm", Method = "bitfit", Status = TrialStatus.Succeeded,
            Metrics = new Dictionary<string, double> { ["accuracy"] = 0.8125 },
        };
        Assert.Contains("81.25 %", Render(result));
    }
}
