using PeftGrid.Contracts.Grid;
using PeftGrid.Grains.Leaderboard;
using Xunit;

namespace PeftGrid.Grains.Tests.Leaderboard;

[Collection(ClusterCollection.Name)]
public sealed class LeaderboardMathTests(ClusterFixture fx)
{
    private static LeaderboardEntry E(string method, double? tier, int seed, double score, double percent, long paper = 1000) => new()
    {
        CellId = $"{method}-{tier}-{seed}", Task = "sst2", Model = "m", Method = method, Tier = tier, Seed = seed, Score = score,
        Percent = percent, PaperCount = paper, TrainableCount = paper + 10, TrainSeconds = seed,
    };

    private static readonly LeaderboardEntry[] Known =
    [
        E("lora-attn", 0.5, 1, 0.80, 0.5), E("lora-attn", 0.5, 2, 0.82, 0.5), E("lora-attn", 0.5, 3, 0.84, 0.5),
        E("prefix", 0.5, 1, 0.70, 0.5), E("prefix", 0.5, 2, 0.74, 0.5),
        E("bitfit", 0.1, 1, 0.78, 0.1),
        E("sa-ffn", 0.1, 1, 0.75, 0.1), E("sa-ffn", 0.1, 2, 0.77, 0.1),
        E("full", null, 1, 0.83, 100), E("full", null, 2, 0.85, 100),
    ];

    [Fact]
    public void MeanAndSampleStdOverSeeds()
    {
        var view = LeaderboardMath.Build("sst2", "m", Known);
        var lora = view.Tiers.Single(t => t.Tier == 0.5).Rows.Single(r => r.Method == "lora-attn");
        Assert.Equal(0.82, lora.Mean, 12);
        Assert.Equal(0.02, lora.Std, 12);          // sqrt(((.02)^2 + 0 + (.02)^2) / 2)
        Assert.Equal(3, lora.Seeds);
        Assert.Equal(2.0, lora.TrainSeconds, 12);
        var prefix = view.Tiers.Single(t => t.Tier == 0.5).Rows.Single(r => r.Method == "prefix");
        Assert.Equal(0.72, prefix.Mean, 12);
        Assert.Equal(Math.Sqrt(0.0008), prefix.Std, 12);
        Assert.Equal(0.0, view.Tiers.Single(t => t.Tier == 0.1).Rows.Single(r => r.Method == "bitfit").Std);
        Assert.Equal(0, LeaderboardMath.SampleStd([0.5]));
    }

    [Fact]
    public void TiersAscendingExplicitLastAndRankedByMean()
    {
        var view = LeaderboardMath.Build("sst2", "m", Known);
        Assert.Equal(new double?[] { 0.1, 0.5, null }, view.Tiers.Select(t => t.Tier).ToArray());
        Assert.Equal(["bitfit", "sa-ffn"], view.Tiers[0].Rows.Select(r => r.Method));
        Assert.Equal(["lora-attn", "prefix"], view.Tiers[1].Rows.Select(r => r.Method));
        Assert.Equal([1, 2], view.Tiers[1].Rows.Select(r => r.Rank));
        Assert.Equal(10, view.Cells);
    }

    [Fact]
    public void ParetoFrontOfScoreVsPercent()
    {
        var view = LeaderboardMath.Build("sst2", "m", Known);
        // bitfit (0.1 %, .78) dominates sa-ffn (0.1 %, .76); lora (0.5 %, .82) dominates prefix; full (100 %, .84) is best.
        Assert.Equal(["bitfit", "lora-attn", "full"], view.Pareto.Select(r => r.Method));
        Assert.False(view.Tiers[0].Rows.Single(r => r.Method == "sa-ffn").Pareto);
        Assert.True(view.Tiers[2].Rows.Single().Pareto);
    }

    [Fact]
    public async Task LeaderboardGrainIngestIsIdempotentAndMatchesTheMath()
    {
        var board = fx.Client.GetGrain<ILeaderboardGrain>(GrainKeys.Leaderboard("sst2", "math-test"));
        Assert.Equal(10, await board.IngestAsync(Known));
        Assert.Equal(0, await board.IngestAsync(Known.Take(4).ToList()));
        var view = await board.GetAsync();
        Assert.Equal(("sst2", "math-test"), (view.Task, view.Model));
        Assert.Equal(10, view.Cells);
        Assert.Equal(0.82, view.Tiers[1].Rows[0].Mean, 12);
        Assert.Equal(["bitfit", "lora-attn", "full"], view.Pareto.Select(r => r.Method));
    }
}
