using PeftGrid.Contracts.Grid;
using PeftGrid.Grains.Leaderboard;
using Xunit;

namespace PeftGrid.Grains.Tests.Leaderboard;

/// <summary>Issue 8 "the leaderboard lies": non-finite scores, profiles, distinct seeds (pure math, no cluster).</summary>
public sealed class LeaderboardHonestyTests
{
    internal static LeaderboardEntry E(string method, double? tier, int seed, double score, double percent,
        string profile = "e=1;n=;v=;t=128;b=32;lr=", string? cell = null, int run = 1) => new()
    {
        CellId = cell ?? $"{method}-{tier}-{seed}-{profile}", Task = "sst2", Model = "m", Method = method, Tier = tier, Seed = seed,
        Score = score, Percent = percent, PaperCount = 1000, TrainableCount = 1010, TrainSeconds = seed, Profile = profile, Run = run,
    };

    [Fact]
    public void NanAndInfiniteScoresAreNeverRankedAndNeverOnTheParetoFront()
    {
        var view = LeaderboardMath.Build("sst2", "m",
        [
            E("lora-attn", 0.5, 1, 0.80, 0.5), E("lora-attn", 0.5, 2, 0.82, 0.5),
            E("prefix", 0.5, 1, double.PositiveInfinity, 0.5),   // +Inf ranked first and on the front before the fix
            E("sa-ffn", 0.1, 1, 0.75, 0.1),
            E("bitfit", 0.1, 1, double.NaN, 0.1),                // NaN joined the front before the fix
            E("adapter", 0.1, 1, double.NegativeInfinity, 0.05), // −Inf at a lower % joined the front before the fix
        ]);
        Assert.Equal(6, view.Cells);
        Assert.Equal(["sa-ffn", "lora-attn"], view.Pareto.Select(r => r.Method));

        var low = view.Tiers.Single(t => t.Tier == 0.1).Rows;
        Assert.Equal(["sa-ffn", "adapter", "bitfit"], low.Select(r => r.Method));   // ranked first, then diverged-only by name
        Assert.Equal([1, 0, 0], low.Select(r => r.Rank));
        Assert.Equal([0, 1, 1], low.Select(r => r.Diverged));
        Assert.Equal([1, 0, 0], low.Select(r => r.Seeds));
        Assert.All(low.Skip(1), r => Assert.True(double.IsNaN(r.Mean) && !r.Pareto));

        var mid = view.Tiers.Single(t => t.Tier == 0.5).Rows;
        Assert.Equal(["lora-attn", "prefix"], mid.Select(r => r.Method));
        Assert.Equal([1, 0], mid.Select(r => r.Rank));
        Assert.Equal(0.81, mid[0].Mean, 12);
        Assert.Equal((0, 1, false), (mid[1].Seeds, mid[1].Diverged, mid[1].Pareto));
    }

    [Fact]
    public void OneNanSeedLeavesTheMeanOfTheFiniteSeeds()
    {
        var view = LeaderboardMath.Build("sst2", "m",
            [E("lora-attn", 0.5, 1, 0.80, 0.5), E("lora-attn", 0.5, 2, double.NaN, 0.5), E("lora-attn", 0.5, 3, 0.84, 0.5)]);
        var row = view.Tiers.Single().Rows.Single();
        Assert.Equal(0.82, row.Mean, 12);
        Assert.Equal(Math.Sqrt(0.0008), row.Std, 12);   // sqrt(((.02)^2 + (.02)^2) / 1)
        Assert.Equal((2, 1, 1, true), (row.Seeds, row.Diverged, row.Rank, row.Pareto));
        Assert.Equal(2.0, row.TrainSeconds, 12);        // mean over the counted seeds 1 and 3
    }

    [Fact]
    public void DivergedFlagWithAFiniteScoreIsNotRanked()
    {
        var flagged = E("lora-attn", 0.5, 2, 0.99, 0.5) with { Diverged = true };
        var row = LeaderboardMath.Build("sst2", "m", [E("lora-attn", 0.5, 1, 0.80, 0.5), flagged]).Tiers.Single().Rows.Single();
        Assert.Equal((0.80, 1, 1), (row.Mean, row.Seeds, row.Diverged));
    }

    [Fact]
    public void TwoProfilesOfOneMethodAreTwoRows()
    {
        const string Short = "e=1;n=2000;v=;t=128;b=32;lr=", Long = "e=3;n=;v=;t=128;b=32;lr=";
        var view = LeaderboardMath.Build("sst2", "m",
            [E("lora-attn", 0.5, 1, 0.80, 0.5, Short), E("lora-attn", 0.5, 2, 0.82, 0.5, Short), E("lora-attn", 0.5, 1, 0.90, 0.5, Long)]);
        var rows = view.Tiers.Single().Rows;
        Assert.Equal([Long, Short], rows.Select(r => r.Profile));
        Assert.Equal([1, 2], rows.Select(r => r.Rank));
        Assert.Equal([1, 2], rows.Select(r => r.Seeds));
        Assert.Equal(0.90, rows[0].Mean, 12);
        Assert.Equal(0.81, rows[1].Mean, 12);
        Assert.Equal([Long], view.Pareto.Select(r => r.Profile));   // same %, higher mean dominates
    }

    [Fact]
    public void SeedsAreCountedByDistinctSeedHigherRunThenLaterArrivalWins()
    {
        var view = LeaderboardMath.Build("sst2", "m",
        [
            E("lora-attn", 0.5, 1, 0.80, 0.5, cell: "a"), E("lora-attn", 0.5, 1, 0.90, 0.5, cell: "b"),  // same seed, later wins
            E("lora-attn", 0.5, 2, 0.70, 0.5, cell: "c"),
            E("lora-attn", 0.5, 3, 0.60, 0.5, cell: "d", run: 2), E("lora-attn", 0.5, 3, 0.99, 0.5, cell: "e"),  // higher run wins
            E("lora-attn", 0.5, 3, double.NaN, 0.5, cell: "f"),  // diverged: counted apart, not a duplicate
        ]);
        var row = view.Tiers.Single().Rows.Single();
        Assert.Equal((3, 2, 1), (row.Seeds, row.DuplicateSeeds, row.Diverged));
        Assert.Equal((0.90 + 0.70 + 0.60) / 3, row.Mean, 12);
        Assert.Equal(6, view.Cells);
    }

    [Fact]
    public void EmptyBoardAndAllDivergedBoardHaveNoFront()
    {
        Assert.Empty(LeaderboardMath.Build("sst2", "m", []).Tiers);
        var view = LeaderboardMath.Build("sst2", "m", [E("prefix", 0.5, 1, double.NaN, 0.5), E("prefix", 0.5, 2, double.PositiveInfinity, 0.5)]);
        var row = view.Tiers.Single().Rows.Single();
        Assert.Equal((0, 0, 2, false), (row.Rank, row.Seeds, row.Diverged, row.Pareto));
        Assert.Empty(view.Pareto);
        Assert.Equal(1000, row.PaperCount);   // sizes still shown from the diverged cells
    }
}
