using System.Diagnostics;
using PeftGrid.Contracts.Grid;
using Xunit;
using Xunit.Abstractions;

namespace PeftGrid.Integration.Tests.Faults;

/// <summary>
/// A silo that receives SIGTERM mid-cell hands its running cell back to the queue at once — not after the lease — and
/// stops within the termination grace period. The hard case: the terminated silo also hosts the scheduler, so the hand-back
/// and the scheduler's move to the other silo both happen during the shutdown.
/// </summary>
[Collection(FaultsCollection.Name)]
public sealed class SigtermTests(ITestOutputHelper output)
{
    /// <summary>From SIGTERM to the cell running on the other silo: a few seconds, far below the 60 s lease.</summary>
    public static readonly TimeSpan RequeueBound = TimeSpan.FromSeconds(10);

    /// <summary>Kubernetes' default <c>terminationGracePeriodSeconds</c> (k8s/base/silo.yaml sets 30).</summary>
    public static readonly TimeSpan GracePeriod = TimeSpan.FromSeconds(30);

    private static readonly Dictionary<string, string> LongCells = new() { ["PeftGrid__Fake__CellMilliseconds"] = "60000" };

    private static readonly Dictionary<string, string> OneWorker = new(LongCells) { ["PeftGrid__Workers__Devices__1"] = "cpu:0" };

    [Fact]
    public async Task TheRunningCellRunsElsewhereWithinSecondsAndTheSiloExitsWithinTheGracePeriod()
    {
        await using var c = new FaultCluster(output);
        await c.StartRedisAsync();
        // Silo a starts alone: the scheduler activates there and a's one worker takes the one 60 s cell (lease 60 s).
        var a = (await c.StartSilosAsync(OneWorker, true, "sig-a"))[0];
        var sweep = FaultCluster.Sweep("sigterm", 1, leaseSeconds: 60);
        var cellId = sweep.Cells[0].CellId;
        await using (var client = await c.ConnectAsync())
        {
            Assert.Equal(1, (await client.SubmitAsync(sweep)).Added);
        }
        await RedisLossTests.Until(() => Task.FromResult(c.Runs().Any(r => r is ("start", _, _) && r.Cell == cellId && r.Pid == a.Process.Id)), TimeSpan.FromSeconds(60), "cell running on sig-a");
        var b = (await c.StartSilosAsync(LongCells, true, "sig-b"))[0];

        var clock = Stopwatch.StartNew();
        TimeSpan? exited = null;
        var stopping = a.StopAsync(TimeSpan.FromSeconds(90)).ContinueWith(_ => exited = clock.Elapsed, TaskScheduler.Default);
        c.Log("SIGTERM sent to sig-a (scheduler and running cell)");
        await RedisLossTests.Until(() => Task.FromResult(c.Runs().Any(r => r is ("start", _, _) && r.Cell == cellId && r.Pid == b.Process.Id)), TimeSpan.FromSeconds(60), "cell running on sig-b");
        var requeued = clock.Elapsed;
        await stopping;
        output.WriteLine($"SIGTERM: cell running on sig-b {requeued.TotalSeconds:F1} s after SIGTERM (bound {RequeueBound.TotalSeconds} s, lease 60 s); "
            + $"sig-a exited {exited!.Value.TotalSeconds:F1} s after SIGTERM with code {a.Process.ExitCode} (grace {GracePeriod.TotalSeconds} s)");
        foreach (var line in a.Log.Split('\n').Where(l => l.Contains("hand", StringComparison.OrdinalIgnoreCase) || l.Contains("interrupted", StringComparison.Ordinal)))
        {
            output.WriteLine($"sig-a: {line}");
        }

        Assert.True(requeued < RequeueBound, $"the cell ran again elsewhere only {requeued.TotalSeconds:F1} s after SIGTERM (bound {RequeueBound.TotalSeconds} s)");
        Assert.True(exited < GracePeriod, $"sig-a exited {exited.Value.TotalSeconds:F1} s after SIGTERM (grace {GracePeriod.TotalSeconds} s)");
        Assert.Equal(0, a.Process.ExitCode);
        await using var after = await c.ConnectAsync();
        var cell = (await after.Cluster.GetGrain<ISchedulerGrain>(GrainKeys.Scheduler).GetCellAsync(cellId))!;
        Assert.Equal((CellStatus.Running, 1, 1), (cell.Status, cell.Interruptions, cell.Attempts)); // the interruption used no attempt
        Assert.StartsWith("sig-b/cpu:", cell.Worker); // either of sig-b's two workers
        Assert.Contains("worker sig-a/cpu:0 stopped and handed the cell back", cell.Error);

        // The scheduler deactivated cleanly with sig-a, so its new activation leases at once (no restart grace, which would
        // hold every lease for half the longest lease, 30 s): a sweep submitted now runs on sig-b's idle worker within seconds.
        var next = FaultCluster.Sweep("after-sigterm", 1, leaseSeconds: 60);
        var submitted = Stopwatch.StartNew();
        Assert.Equal(1, (await after.SubmitAsync(next)).Added);
        await RedisLossTests.Until(() => Task.FromResult(c.Runs().Any(r => r is ("start", _, _) && r.Cell == next.Cells[0].CellId && r.Pid == b.Process.Id)), TimeSpan.FromSeconds(60), "next sweep running on sig-b");
        output.WriteLine($"SIGTERM: a sweep submitted after sig-a exited ran {submitted.Elapsed.TotalSeconds:F1} s later");
        Assert.True(submitted.Elapsed < RequeueBound, $"a new cell waited {submitted.Elapsed.TotalSeconds:F1} s for a lease after the scheduler moved");
    }
}
