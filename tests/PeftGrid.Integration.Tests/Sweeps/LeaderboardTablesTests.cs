using PeftGrid.Cli.Sweeps;
using PeftGrid.Contracts.Grid;
using Spectre.Console;
using Xunit;

namespace PeftGrid.Integration.Tests.Sweeps;

/// <summary>The leaderboard table shows each metric in its display scale: accuracy × 100, ROUGE and BLEU as stored (points).</summary>
public sealed class LeaderboardTablesTests
{
    private static string Render(LeaderboardView board)
    {
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer), ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.No });
        console.Profile.Width = 250;
        LeaderboardTables.Print(console, [board]);
        return writer.ToString();
    }

    private static LeaderboardView Board(string task, string metric, double mean, double std, IReadOnlyDictionary<string, double> others) => new()
    {
        Task = task, Model = "minilm2minilm", Metric = metric, Cells = 2,
        Tiers = [new LeaderboardTier { Tier = 0.5, Rows = [new LeaderboardRow
        {
            Rank = 1, Method = "lora-attn[r=8]", Tier = 0.5, Mean = mean, Std = std, Seeds = 2, Percent = 0.5, OtherMeans = others,
        }] }],
    };

    [Fact]
    public void XSumShowsRouge2MeanStdAndTheOtherRougeColumnsInPoints()
    {
        var text = Render(Board("xsum", "rouge2", 11.0, 1.4142, new Dictionary<string, double> { ["rouge1"] = 32.125, ["rougeL"] = 25.0, ["rougeLsum"] = 26.5 }));
        Assert.Contains("ROUGE-2 (F×100) mean ± std", text);
        Assert.Contains("R-1", text);
        Assert.Contains("R-Lsum", text);
        Assert.Contains("11.00 ± 1.41", text);      // not ×100 (1100.00)
        Assert.Contains("32.13", text);             // R-1 32.125 (exact in binary) → .NET "0.00" rounds the midpoint away from zero
        Assert.Contains("25.00", text);
        Assert.Contains("26.50", text);
        Assert.DoesNotContain("1100.00", text);
        Assert.True(text.IndexOf("R-1", StringComparison.Ordinal) < text.IndexOf("R-L", StringComparison.Ordinal)); // catalog order
    }

    [Fact]
    public void EnRoShowsBleuAsIs()
    {
        var text = Render(Board("wmt16-en-ro", "bleu", 21.5, 0.25, new Dictionary<string, double> { ["bleuPaper"] = 24.75 }));
        Assert.Contains("BLEU mean ± std", text);
        Assert.Contains("21.50 ± 0.25", text);
        Assert.Contains("24.75", text);
    }

    [Fact]
    public void AccuracyIsShownAsPercent()
    {
        var text = Render(Board("sst2", "accuracy", 0.8125, 0.0125, LeaderboardMetrics.None));
        Assert.Contains("accuracy (%) mean ± std", text);
        Assert.Contains("81.25 ± 1.25", text);
    }

    [Fact]
    public void PlotAxisNamesTheMetric()
    {
        Assert.Equal("ROUGE-2 (F×100)", ParetoPlot.YLabel([Board("xsum", "rouge2", 11, 0, LeaderboardMetrics.None)]));
        Assert.Equal("BLEU", ParetoPlot.YLabel([Board("wmt16-en-ro", "bleu", 20, 0, LeaderboardMetrics.None)]));
        Assert.Equal("accuracy (%)", ParetoPlot.YLabel([Board("sst2", "accuracy", 0.8, 0, LeaderboardMetrics.None)]));
    }
}
