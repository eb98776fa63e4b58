using PeftGrid.Contracts.Grid;
using PeftGrid.Contracts.Trials;
using PeftGrid.Grains.Leaderboard;
using Xunit;

namespace PeftGrid.Grains.Tests.Leaderboard;

/// <summary>XSum and en-ro results on the leaderboard: ranked by the task's primary metric (ROUGE-2, BLEU), the task's other
/// metrics carried per entry and averaged per row.</summary>
public sealed class LeaderboardSeq2SeqTests
{
    internal static TrialResult XSum(string method, int seed, double r1, double r2, double rl, double rlsum, double percent) => new()
    {
        CellId = $"{method}-{seed}", Task = "xsum", Model = "minilm2minilm", Method = method, Seed = seed, Status = TrialStatus.Succeeded,
        Metrics = new Dictionary<string, double> { ["rouge1"] = r1, ["rouge2"] = r2, ["rougeL"] = rl, ["rougeLsum"] = rlsum, ["loss"] = 3.5 },
        Budget = new BudgetReport { PaperCount = 1000, TrainableCount = 1000, Percent = percent },
    };

    internal static TrialSpec Spec(string task, string method, int seed) => new() { Task = task, Model = "minilm2minilm", Method = method, Seed = seed };

    /// <summary>Hand-made XSum results: lora-attn seeds 1, 2 (R-2 10 and 12 → mean 11, std √2; R-1 30 and 34 → 32; R-L 24 and 26 → 25;
    /// R-Lsum 25 and 27 → 26); prefix one seed with the higher R-1 (40) but the lower R-2 (9).</summary>
    internal static LeaderboardView Board()
    {
        (TrialSpec, TrialResult)[] cells =
        [
            (Spec("xsum", "lora-attn[r=8]", 1), XSum("lora-attn[r=8]", 1, 30, 10, 24, 25, 0.5)),
            (Spec("xsum", "lora-attn[r=8]", 2), XSum("lora-attn[r=8]", 2, 34, 12, 26, 27, 0.5)),
            (Spec("xsum", "prefix[l=10]", 1), XSum("prefix[l=10]", 1, 40, 9, 30, 31, 0.4)),
        ];
        return LeaderboardMath.Build("xsum", "minilm2minilm", cells.Select(c => LeaderboardMath.ToEntry(c.Item1, c.Item2)!));
    }

    [Fact]
    public void XSumRanksByRouge2AndCarriesTheOtherRougeMeans()
    {
        var view = Board();
        Assert.Equal("rouge2", view.Metric);
        var rows = view.Tiers.Single().Rows;
        Assert.Equal(["lora-attn", "prefix"], rows.Select(r => Peft.Specs.MethodSpec.PresetName(r.Method))); // R-2 11 > 9 although prefix's R-1 is higher
        var lora = rows[0];
        Assert.Equal(11.0, lora.Mean, 12);
        Assert.Equal(Math.Sqrt(2), lora.Std, 12);                                       // sqrt(((10-11)² + (12-11)²) / 1)
        Assert.Equal(["rouge1", "rougeL", "rougeLsum"], lora.OtherMeans.Keys.Order(StringComparer.Ordinal)); // loss is not a task metric
        Assert.Equal(32.0, lora.OtherMeans["rouge1"], 12);
        Assert.Equal(25.0, lora.OtherMeans["rougeL"], 12);
        Assert.Equal(26.0, lora.OtherMeans["rougeLsum"], 12);
        Assert.Equal(40.0, rows[1].OtherMeans["rouge1"], 12);
    }

    [Fact]
    public void EnRoRanksByBleuAndCarriesBleuPaper()
    {
        static TrialResult R(string method, double bleu, double paper) => new()
        {
            CellId = method, Task = "wmt16-en-ro", Model = "minilm2minilm", Method = method, Seed = 42, Status = TrialStatus.Succeeded,
            Metrics = new Dictionary<string, double> { ["bleu"] = bleu, ["bleuPaper"] = paper },
            Budget = new BudgetReport { Percent = 1 },
        };
        var view = LeaderboardMath.Build("wmt16-en-ro", "minilm2minilm",
        [
            LeaderboardMath.ToEntry(Spec("wmt16-en-ro", "lora-attn[r=8]", 42), R("lora-attn[r=8]", 20.5, 25.0))!,
            LeaderboardMath.ToEntry(Spec("wmt16-en-ro", "prefix[l=10]", 42), R("prefix[l=10]", 21.0, 24.0))!,
        ]);
        Assert.Equal("bleu", view.Metric);
        var rows = view.Tiers.Single().Rows;
        Assert.Equal(["prefix", "lora-attn"], rows.Select(r => Peft.Specs.MethodSpec.PresetName(r.Method))); // by bleu, not bleuPaper
        Assert.Equal(25.0, rows[1].OtherMeans["bleuPaper"], 12);
    }

    [Fact]
    public void AMetricMissingFromOneCountedSeedIsNotAveraged()
    {
        LeaderboardEntry E(int seed, Dictionary<string, double> others) => new()
        {
            CellId = $"c{seed}", Task = "xsum", Model = "m", Method = "lora", Seed = seed, Score = 10, Metric = "rouge2", OtherMetrics = others,
        };
        var row = LeaderboardMath.Row("lora", null, "", [E(1, new() { ["rouge1"] = 30, ["rougeL"] = 20 }), E(2, new() { ["rouge1"] = 32 })]);
        Assert.Equal(31.0, row.OtherMeans["rouge1"], 12);
        Assert.False(row.OtherMeans.ContainsKey("rougeL"));
    }

    [Fact]
    public void GlueEntriesHaveNoOtherMetrics()
    {
        var result = new TrialResult
        {
            CellId = "c", Task = "sst2", Model = "minilm", Method = "lora-attn[r=8]", Status = TrialStatus.Succeeded,
            Metrics = new Dictionary<string, double> { ["accuracy"] = 0.9 },
        };
        var entry = LeaderboardMath.ToEntry(new TrialSpec { Task = "sst2", Model = "minilm", Method = "lora-attn[r=8]" }, result)!;
        Assert.Same(LeaderboardMetrics.None, entry.OtherMetrics);
    }
}
