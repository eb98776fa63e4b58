using PeftGrid.Contracts.Grid;
using PeftGrid.Grains.Runners;
using Xunit;
using Xunit.Abstractions;

namespace PeftGrid.Integration.Tests.Faults;

/// <summary>Cells that report NaN, +∞ or −∞ accuracy, or end Diverged, on a real cluster: shown as diverged, never ranked.</summary>
[Collection(FaultsCollection.Name)]
public sealed class DivergedResultTests(ITestOutputHelper output)
{
    [Fact]
    public async Task NonFiniteAndDivergedResultsAreShownDivergedAndNeverRanked()
    {
        const int cells = 8;
        await using var c = new FaultCluster(output);
        await c.StartRedisAsync();
        await c.StartSilosAsync(new Dictionary<string, string>
        {
            ["PeftGrid__Fake__Scores__1"] = "NaN", ["PeftGrid__Fake__Scores__2"] = "Infinity", ["PeftGrid__Fake__Scores__3"] = "-Infinity",
            ["PeftGrid__Fake__DivergeSeeds__0"] = "4",
        }, true, "a");
        await using var client = await c.ConnectAsync();
        var sweep = FaultCluster.Sweep("nonfinite", cells);
        Assert.Equal(cells, (await client.SubmitAsync(sweep)).Added);
        var done = await c.WaitAsync(client, "nonfinite", x => x.IsComplete, TimeSpan.FromSeconds(60));
        Assert.Equal((7, 1, 0), (done.Succeeded, FaultCluster.RequiredCountOf(done, "Diverged"), done.Failed));

        var board = client.Cluster.GetGrain<ILeaderboardGrain>(GrainKeys.Leaderboard("sst2", "nonfinite"));
        var entries = await board.GetEntriesAsync();
        Assert.Equal(cells, entries.Count);
        Assert.Equal([1, 2, 3, 4], entries.Where(e => e.Diverged).Select(e => e.Seed).Order());

        var view = await board.GetAsync();
        var row = Assert.Single(Assert.Single(view.Tiers).Rows);
        Assert.Equal((1, 4, 4), (row.Rank, row.Seeds, row.Diverged));
        var finite = sweep.Cells.Where(x => x.Seed is 0 or 5 or 6 or 7).Select(FakeTrialRunner.ScoreOf).ToList();
        Assert.Equal(finite.Average(), row.Mean, 12);
        Assert.True(double.IsFinite(row.Std));
        Assert.All(view.Pareto, r => Assert.True(double.IsFinite(r.Mean), $"{r.Method}: {r.Mean}"));
    }
}
