using PeftGrid.Contracts.Grid;
using PeftGrid.Contracts.Trials;
using Xunit;
using Xunit.Abstractions;

namespace PeftGrid.Integration.Tests.Faults;

/// <summary>A finished cell's stored result is deleted from Redis behind the cluster's back (the experiment grain's key).</summary>
[Collection(FaultsCollection.Name)]
public sealed class DeletedResultTests(ITestOutputHelper output)
{
    [Fact]
    public async Task DeletedResultIsReportedLostAndTheCellRunsAgainOnResubmission()
    {
        const int cells = 6;
        await using var c = new FaultCluster(output);
        await c.StartRedisAsync();
        await c.StartSilosAsync(null, true, "a");
        await using var client = await c.ConnectAsync();
        var sweep = FaultCluster.Sweep("deleted", cells);
        Assert.Equal(cells, (await client.SubmitAsync(sweep)).Added);
        Assert.Equal(cells, (await c.WaitAsync(client, "deleted", x => x.IsComplete, TimeSpan.FromSeconds(60))).Succeeded);

        var victim = sweep.Cells[2].CellId;
        var key = Assert.Single(await ExperimentKeysAsync(c, victim));
        c.Log($"deleting {key}");
        Assert.Equal("1", await Processes.RedisCliAsync(c.RedisPort, "DEL", key));

        var again = await client.SubmitAsync(sweep); // resubmission audits the cells and runs only what is missing
        Assert.Equal(0, again.Added);
        var done = await c.WaitAsync(client, "deleted", x => x.IsComplete && x.Succeeded == cells, TimeSpan.FromSeconds(60));
        Assert.Equal(1, FaultCluster.RequiredCountOf(done, "Lost"));
        var ends = c.Ends();
        Assert.Equal(2, ends[victim]);
        Assert.All(sweep.Cells.Where(x => x.CellId != victim), x => Assert.Equal(1, ends[x.CellId]));
        Assert.Equal(TrialStatus.Succeeded, (await client.Cluster.GetGrain<IExperimentGrain>(victim).GetAsync()).Result?.Status);
        Assert.Single(await ExperimentKeysAsync(c, victim));
        var board = await client.Cluster.GetGrain<ILeaderboardGrain>(GrainKeys.Leaderboard("sst2", "deleted")).GetEntriesAsync();
        Assert.Equal(sweep.Cells.Select(x => x.CellId).Order(), board.Select(e => e.CellId).Order());
    }

    /// <summary>Redis keys of the experiment grain of <paramref name="cellId"/>: Orleans 10.4's Redis grain storage keeps a grain's
    /// state in the hash <c>{ServiceId}/state/{grainType}/{grainKey}/{stateName}</c> (fields <c>etag</c>, <c>data</c>), here
    /// <c>{ServiceId}/state/experiment/{cellId}/experiment</c>.</summary>
    private static async Task<string[]> ExperimentKeysAsync(FaultCluster c, string cellId) =>
        (await Processes.RedisCliAsync(c.RedisPort, "--scan", "--pattern", $"{c.ClusterId}/state/*{cellId}*"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
