using PeftGrid.Contracts.Grid;
using PeftGrid.Contracts.Trials;
using Xunit;
using Xunit.Abstractions;

namespace PeftGrid.Integration.Tests.Faults;

/// <summary>The silo hosting the scheduler is SIGKILLed while a finished cell's result is being handed off to it.</summary>
[Collection(FaultsCollection.Name)]
public sealed class HandoffTests(ITestOutputHelper output)
{
    [Fact]
    public async Task SchedulerSiloKilledDuringAResultHandoffEveryCellCompletesOnce()
    {
        const int cells = 12;
        const int held = 3;
        await using var c = new FaultCluster(output);
        await c.StartRedisAsync();
        // Silo "sched" starts alone, so the scheduler activates there; its workers run no cell of the sweep (model filter).
        var sched = (await c.StartSilosAsync(new Dictionary<string, string> { ["PeftGrid__Fake__Models__0"] = "no-such-model" }, true, "sched"))[0];
        await using var client = await c.ConnectAsync();
        Assert.Equal(0, await client.Cluster.GetGrain<ISchedulerGrain>(GrainKeys.Scheduler).GetQueueDepthAsync());
        // Silo "work" runs every cell; the cell of seed 3 holds its finished result for 4 s before handing it off.
        var work = (await c.StartSilosAsync(new Dictionary<string, string>
        {
            ["PeftGrid__Fake__HoldSeeds__0"] = held.ToString(), ["PeftGrid__Fake__HoldMilliseconds"] = "4000",
        }, true, "work"))[0];

        var sweep = FaultCluster.Sweep("handoff", cells);
        Assert.Equal(cells, (await client.SubmitAsync(sweep)).Added);
        var heldCell = sweep.Cells[held].CellId;
        await RedisLossTests.Until(() => Task.FromResult(c.Runs().Any(r => r.Kind == "hold" && r.Cell == heldCell)), TimeSpan.FromSeconds(60), "held result");
        await sched.KillAsync();
        c.Log("killed the scheduler's silo while the held result waits to be handed off");
        await using var after = await c.ConnectAsync(); // the first client knew only the killed silo's gateway

        var done = await c.WaitAsync(after, "handoff", x => x.IsComplete && x.Total == cells, TimeSpan.FromSeconds(90));
        Assert.Equal(cells, done.Succeeded);
        Assert.Equal(0, done.Failed);
        var ends = c.Ends();
        Assert.All(sweep.Cells, cell => Assert.Equal(1, ends.GetValueOrDefault(cell.CellId)));
        Assert.All(c.Runs(), r => Assert.Equal(work.Process.Id, r.Pid));
        foreach (var cell in sweep.Cells)
        {
            var snap = await after.Cluster.GetGrain<IExperimentGrain>(cell.CellId).GetAsync();
            Assert.Equal(TrialStatus.Succeeded, snap.Result?.Status);
        }
        var board = await after.Cluster.GetGrain<ILeaderboardGrain>(GrainKeys.Leaderboard("sst2", "handoff")).GetEntriesAsync();
        Assert.Equal(sweep.Cells.Select(x => x.CellId).Order(), board.Select(e => e.CellId).Order());
    }
}
