using System.Diagnostics;
using PeftGrid.Client;
using PeftGrid.Contracts.Grid;
using PeftGrid.Contracts.Trials;
using Xunit;
using Xunit.Abstractions;

namespace PeftGrid.Integration.Tests;

/// <summary>Real redis-server + real silo processes with the fake runner: SIGKILL mid-sweep, then a full restart.</summary>
public sealed class RedisClusterTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly string clusterId = $"it-{Guid.NewGuid():N}"[..12];
    private readonly string runLog = Path.Combine(Path.GetTempPath(), $"peftgrid-runs-{Guid.NewGuid():N}.log");
    private readonly int redisPort = Processes.FreePort();
    private Process? redis;
    private readonly List<Processes.Silo> silos = [];

    public async Task InitializeAsync() => redis = await Processes.StartRedisAsync(redisPort);

    public Task DisposeAsync()
    {
        silos.ForEach(s => s.Dispose());
        if (redis is { HasExited: false })
        {
            redis.Kill();
        }
        redis?.Dispose();
        foreach (var f in RunLogFiles())
        {
            File.Delete(f);
        }
        return Task.CompletedTask;
    }

    private Processes.Silo StartSilo(int index) => new(new Dictionary<string, string>
    {
        ["ConnectionStrings__Redis"] = $"127.0.0.1:{redisPort}",
        ["PeftGrid__ClusterId"] = clusterId,
        ["PeftGrid__ServiceId"] = clusterId,
        ["PeftGrid__SiloName"] = $"silo{index}",
        ["PeftGrid__SiloPort"] = (21000 + (redisPort % 1000) * 4 + index).ToString(),
        ["PeftGrid__GatewayPort"] = (41000 + (redisPort % 1000) * 4 + index).ToString(),
        ["PeftGrid__Runner"] = "fake",
        ["PeftGrid__Fake__CellMilliseconds"] = "150",
        ["PeftGrid__Fake__RunLogPath"] = runLog,
        ["PeftGrid__Workers__Devices__0"] = "cpu:0",
        ["PeftGrid__Workers__Devices__1"] = "cpu:1",
        ["PeftGrid__Workers__PollMilliseconds"] = "50",
        ["PeftGrid__Dashboard__Enabled"] = "false",
        ["Orleans__ClusterMembership__ProbeTimeout"] = "00:00:01",
        ["Orleans__ClusterMembership__NumMissedProbesLimit"] = "2",
        ["Orleans__ClusterMembership__NumVotesForDeathDeclaration"] = "1",
        ["Orleans__ClusterMembership__IAmAliveTablePublishTimeout"] = "00:00:05",
        ["DOTNET_gcServer"] = "0",
    });

    private async Task<List<Processes.Silo>> StartSilosAsync(int first)
    {
        var started = new List<Processes.Silo> { StartSilo(first), StartSilo(first + 1) };
        silos.AddRange(started);
        foreach (var s in started)
        {
            await s.WaitStartedAsync(TimeSpan.FromSeconds(60));
        }
        return started;
    }

    private Task<PeftGridClient> ConnectAsync() => PeftGridClient.ConnectAsync(new ClusterConnection
    {
        Redis = $"127.0.0.1:{redisPort}", ClusterId = clusterId, ServiceId = clusterId, MaxAttempts = 10, ConnectTimeout = TimeSpan.FromSeconds(30), ResponseTimeout = TimeSpan.FromSeconds(5),
    });

    private static SweepRequest Sweep(string id, int cells) => new()
    {
        SweepId = id,
        Cells = Enumerable.Range(0, cells).Select(i => new TrialSpec { Task = "sst2", Model = id, Method = "lora-attn", BudgetPercent = 0.5, Seed = i }).ToList(),
        Policy = new FailurePolicy { MaxAttempts = 5, LeaseSeconds = 6 }, // heartbeats every 2 s: a 2-core CI stall must not expire a live lease
    };

    private static async Task<SweepStatus> WaitAsync(PeftGridClient client, string id, Func<SweepStatus, bool> until, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                var s = await client.GetStatusAsync(id);
                if (until(s))
                {
                    return s;
                }
                if (DateTime.UtcNow > deadline)
                {
                    throw new Xunit.Sdk.XunitException($"{id} not done in {timeout}: {s}");
                }
            }
            catch (Exception e) when (e is not Xunit.Sdk.XunitException && DateTime.UtcNow < deadline)
            {
                // the scheduler may be moving off a killed silo
            }
            await Task.Delay(100);
        }
    }

    /// <summary>Union of the per-process run logs (<c>{runLog}.{pid}</c>), each process's lines in its own order.</summary>
    private List<(string Kind, string Cell, int Pid)> Runs() => RunLogFiles()
        .SelectMany(File.ReadAllLines).Select(l => l.Split('\t')).Select(p => p.Length == 4
            ? (p[0], p[1], int.Parse(p[2]))
            : throw new Xunit.Sdk.XunitException($"torn run-log line: {string.Join('\t', p)}")).ToList();

    private string[] RunLogFiles() => Directory.GetFiles(Path.GetDirectoryName(runLog)!, Path.GetFileName(runLog) + ".*");

    [Fact, Trait("Category", "Slow")]
    public async Task SilosSurviveSigkillAndFullRestartWithEveryCellCompletedExactlyOnce()
    {
        var clock = Stopwatch.StartNew();
        var (a, b) = (await StartSilosAsync(0)) is var s ? (s[0], s[1]) : default;
        await using (var client = await ConnectAsync())
        {
            var sweep = Sweep("kill", 60);
            Assert.Equal(60, (await client.SubmitAsync(sweep)).Added);
            await WaitAsync(client, "kill", x => x.Succeeded >= 12, TimeSpan.FromSeconds(60));
            b.Process.Kill(); // SIGKILL
            var killedPid = b.Process.Id;
            output.WriteLine($"killed silo pid {killedPid} at {clock.Elapsed}");

            var done = await WaitAsync(client, "kill", x => x.IsComplete, TimeSpan.FromSeconds(120));
            output.WriteLine($"kill sweep complete at {clock.Elapsed}");
            Assert.Equal(60, done.Succeeded);
            var ends = Runs().Where(r => r.Kind == "end").ToList();
            foreach (var cell in sweep.Cells)
            {
                var mine = ends.Where(e => e.Cell == cell.CellId).ToList();
                Assert.NotEmpty(mine);
                // At most one finished run outside the killed silo; a second run only if the killed silo's run never reported.
                Assert.True(mine.Count(e => e.Pid != killedPid) <= 1, $"cell {cell.CellId} ran {mine.Count} times");
                var snap = await client.Cluster.GetGrain<IExperimentGrain>(cell.CellId).GetAsync();
                Assert.Equal(TrialStatus.Succeeded, snap.Result!.Status);
            }
            var board = await client.Cluster.GetGrain<ILeaderboardGrain>(GrainKeys.Leaderboard("sst2", "kill")).GetEntriesAsync();
            Assert.Equal(60, board.Count);

            // Second sweep: stop every silo mid-sweep, restart, resume.
            Assert.Equal(60, (await client.SubmitAsync(Sweep("restart", 60))).Added);
            await WaitAsync(client, "restart", x => x.Succeeded >= 10, TimeSpan.FromSeconds(60));
        }
        await a.StopAsync(TimeSpan.FromSeconds(30));
        var before = Runs();
        var finishedBefore = before.Where(r => r.Kind == "end").Select(r => r.Cell).ToHashSet();
        output.WriteLine($"all silos stopped at {clock.Elapsed} with {finishedBefore.Count} cells finished");

        var restartedPids = (await StartSilosAsync(10)).Select(s => s.Process.Id).ToHashSet();
        await using (var client = await ConnectAsync())
        {
            var done = await WaitAsync(client, "restart", x => x.IsComplete, TimeSpan.FromSeconds(120));
            output.WriteLine($"restart sweep complete at {clock.Elapsed}");
            Assert.Equal(60, done.Succeeded);
            var after = Runs().Where(r => restartedPids.Contains(r.Pid)).ToList();
            Assert.NotEmpty(after);
            Assert.DoesNotContain(after, r => r.Kind == "start" && finishedBefore.Contains(r.Cell));
            Assert.Equal(60, (await client.GetStatusAsync("kill")).Succeeded);
            var restartCells = Sweep("restart", 60).Cells.Select(c => c.CellId).ToHashSet();
            var ends = Runs().Where(r => r.Kind == "end" && restartCells.Contains(r.Cell)).GroupBy(r => r.Cell).ToList();
            Assert.Equal(60, ends.Count);
            Assert.All(ends, g => Assert.Single(g));
        }
    }

    [Fact]
    public async Task UnreachableRedisIsAClearErrorAfterBoundedRetries()
    {
        var closed = Processes.FreePort();
        var clock = Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => PeftGridClient.ConnectAsync(new ClusterConnection
        {
            Redis = $"127.0.0.1:{closed}", MaxAttempts = 2, ConnectTimeout = TimeSpan.FromSeconds(15),
        }));
        Assert.Contains($"cannot reach the PeftGrid cluster via Redis at 127.0.0.1:{closed}", e.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
    }
}
