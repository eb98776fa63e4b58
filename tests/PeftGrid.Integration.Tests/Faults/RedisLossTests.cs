using System.Diagnostics;
using PeftGrid.Contracts.Grid;
using PeftGrid.Contracts.Trials;
using Xunit;
using Xunit.Abstractions;

namespace PeftGrid.Integration.Tests.Faults;

/// <summary>Redis loses its data (restarted without persistence) or restarts with AOF, under real silos and a running sweep.</summary>
[Collection(FaultsCollection.Name)]
public sealed class RedisLossTests(ITestOutputHelper output)
{
    [Fact]
    public async Task MembershipIsRestoredAfterRedisRestartsEmptySoClientsAndNewSilosJoin()
    {
        await using var c = new FaultCluster(output);
        await c.StartRedisAsync();
        var (a, b) = (await c.StartSilosAsync(null, true, "a", "b")) is var s ? (s[0], s[1]) : default;
        await Until(async () => await c.ActiveRowsAsync() == 2, TimeSpan.FromSeconds(30), "two active rows");
        // Let each watchdog copy the table with both rows (5 s period). A silo that loses its row before its first copy
        // (Redis emptied within ~250 ms of its join) takes the documented other path: exit 75 for its supervisor.
        await Task.Delay(TimeSpan.FromSeconds(6));

        await c.RestartRedisAsync();
        Assert.Empty(await c.MembershipAsync());
        var clock = Stopwatch.StartNew();
        await Until(async () => (await c.MembershipAsync()).ContainsKey("Version") && await c.ActiveRowsAsync() == 2, TimeSpan.FromSeconds(30), "membership restored");
        c.Log($"membership restored {clock.Elapsed.TotalSeconds:F1} s after the restart");

        // A client that connects now finds the gateways in the table; a silo that starts now joins the running ones.
        await using (var client = await c.ConnectAsync())
        {
            Assert.Equal(0, await client.Cluster.GetGrain<ISchedulerGrain>(GrainKeys.Scheduler).GetQueueDepthAsync());
        }
        c.Log("a new client connected and called the scheduler");
        var third = (await c.StartSilosAsync(null, true, "c"))[0];
        output.WriteLine(third.Log);
        await Until(async () => await c.ActiveRowsAsync() == 3, TimeSpan.FromSeconds(30), "three active rows");
        await Task.Delay(TimeSpan.FromSeconds(6)); // a table refresh / I-am-alive round later nobody declared itself dead
        Assert.False(a.Process.HasExited, a.Log);
        Assert.False(b.Process.HasExited, b.Log);
        Assert.False(third.Process.HasExited, third.Log);
        Assert.Equal(3, await c.ActiveRowsAsync());

        await using (var client = await c.ConnectAsync())
        {
            Assert.Equal(24, (await client.SubmitAsync(FaultCluster.Sweep("after", 24))).Added);
            var done = await c.WaitAsync(client, "after", x => x.IsComplete, TimeSpan.FromSeconds(60));
            Assert.Equal(24, done.Succeeded);
        }
        var pids = c.Runs().Where(r => r.Kind == "end").Select(r => r.Pid).ToHashSet();
        Assert.Contains(third.Process.Id, pids); // the new silo's workers took cells: it is a full member
    }

    [Fact]
    public async Task SiloRowDeletedFromTheMembershipTableIsReinserted()
    {
        await using var c = new FaultCluster(output);
        await c.StartRedisAsync();
        var silo = (await c.StartSilosAsync(null, true, "a"))[0];
        await Until(async () => await c.ActiveRowsAsync() == 1, TimeSpan.FromSeconds(30), "an active row");
        // A row lost before the watchdog's first copy can only be answered by a restart (exit code 75): wait for the copy.
        await Until(() => Task.FromResult(silo.Log.Contains("first copy of the membership table", StringComparison.Ordinal)), TimeSpan.FromSeconds(30), "the watchdog's first copy");
        var before = await c.MembershipAsync();
        var row = Assert.Single(before.Keys, k => k != "Version");
        Assert.Equal("1", await Processes.RedisCliAsync(c.RedisPort, "HDEL", $"{c.ClusterId}/members/{c.ClusterId}", row));

        await Until(async () => (await c.MembershipAsync()).ContainsKey(row), TimeSpan.FromSeconds(15), "row re-inserted");
        var after = await c.MembershipAsync();
        // Re-inserted by the watchdog (version + 1) or rewritten by Orleans' own I-am-alive write first (version unchanged).
        Assert.InRange(int.Parse(after["Version"]), int.Parse(before["Version"]), int.Parse(before["Version"]) + 1);
        Assert.Equal(1, await c.ActiveRowsAsync());
        await using var client = await c.ConnectAsync(); // the gateway is found in the table again
        Assert.Equal(0, await client.Cluster.GetGrain<ISchedulerGrain>(GrainKeys.Scheduler).GetQueueDepthAsync());
        Assert.False(silo.Process.HasExited, silo.Log);
    }

    [Fact]
    public async Task SweepAfterRedisRestartsEmptyRerunsOnlyLostCellsAndCountsThem()
    {
        await using var c = new FaultCluster(output);
        var (done, ends) = await RunThroughRedisRestartAsync(c);
        var lost = FaultCluster.RequiredCountOf(done, "Lost");
        var rerun = ends.Count(e => e.Value == 2);
        c.Log($"lost {lost}, rerun {rerun}");
        Assert.Equal(rerun, lost); // reported, not invented
        Assert.True(lost > 0, "results stored before the restart are gone, so some must be reported lost");
    }

    [Fact]
    public async Task SweepAfterRedisWithAofRestartsLosesNothing()
    {
        await using var c = new FaultCluster(output, appendOnly: true);
        var (done, ends) = await RunThroughRedisRestartAsync(c);
        Assert.All(ends, e => Assert.True(e.Value == 1, $"cell {e.Key} ran {e.Value} times"));
        Assert.True(FaultCluster.CountOf(done, "Lost") is null or 0, $"lost {FaultCluster.CountOf(done, "Lost")}");
    }

    /// <summary>Two silos, a 40-cell sweep, Redis SIGKILLed and restarted after 12 results; returns the final status and the runs per
    /// cell after asserting what holds either way: all 40 succeeded with a stored result, at most two runs each, one leaderboard entry each.</summary>
    private static async Task<(SweepStatus Done, Dictionary<string, int> Ends)> RunThroughRedisRestartAsync(FaultCluster c)
    {
        const int cells = 40;
        await c.StartRedisAsync();
        await c.StartSilosAsync(new Dictionary<string, string> { ["PeftGrid__Fake__CellMilliseconds"] = "400" }, true, "a", "b");
        var sweep = FaultCluster.Sweep("redis", cells);
        await using var client = await c.ConnectAsync();
        Assert.Equal(cells, (await client.SubmitAsync(sweep)).Added);
        await c.WaitAsync(client, "redis", x => x.Succeeded >= 12, TimeSpan.FromSeconds(60));
        await c.RestartRedisAsync();

        var done = await c.WaitAsync(client, "redis", x => x.IsComplete && x.Total == cells, TimeSpan.FromSeconds(120));
        c.Log($"complete: {done}");
        Assert.Equal(cells, done.Succeeded);
        var ends = c.Ends();
        Assert.Equal(sweep.Cells.Select(x => x.CellId).Order(), ends.Keys.Order());
        Assert.All(ends, e => Assert.True(e.Value <= 2, $"cell {e.Key} ran {e.Value} times"));
        foreach (var cell in sweep.Cells)
        {
            var snap = await client.Cluster.GetGrain<IExperimentGrain>(cell.CellId).GetAsync();
            Assert.Equal(TrialStatus.Succeeded, snap.Result?.Status);
        }
        var board = await client.Cluster.GetGrain<ILeaderboardGrain>(GrainKeys.Leaderboard("sst2", "redis")).GetEntriesAsync();
        Assert.Equal(sweep.Cells.Select(x => x.CellId).Order(), board.Select(e => e.CellId).Order());
        return (done, ends);
    }

    internal static async Task Until(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new Xunit.Sdk.XunitException($"no {what} within {timeout}");
            }
            await Task.Delay(200);
        }
    }
}
