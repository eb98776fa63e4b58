using System.Diagnostics;
using Xunit;
using Xunit.Abstractions;

namespace PeftGrid.Integration.Tests.Faults;

/// <summary>
/// Every silo SIGKILLed mid-sweep, then new silo processes on new ports (as new pods would be) with PeftGrid's default
/// membership settings: the cluster must accept calls and the sweep progress again within the bound the README states.
/// </summary>
[Collection(FaultsCollection.Name)]
public sealed class ReformationTests(ITestOutputHelper output)
{
    /// <summary>The README's bound from the first silo restart to the sweep progressing again.</summary>
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Fact, Trait("Category", "Slow")] // ~80 s: the re-formation itself takes ~45 s
    public async Task ClusterReformsWithinTheBoundAfterEverySiloIsSigkilled()
    {
        await using var c = new FaultCluster(output);
        await c.StartRedisAsync();
        var old = await c.StartSilosAsync(null, fastMembership: false, "a", "b");
        int before;
        await using (var client = await c.ConnectAsync())
        {
            Assert.Equal(120, (await client.SubmitAsync(FaultCluster.Sweep("reform", 120, leaseSeconds: 10))).Added);
            await c.WaitAsync(client, "reform", x => x.Succeeded >= 10, TimeSpan.FromSeconds(60));
        }
        foreach (var s in old)
        {
            await s.KillAsync();
        }
        before = c.Ends().Values.Sum();
        c.Log($"killed every silo with {before} cells finished");

        var clock = Stopwatch.StartNew();
        var restarted = await c.StartSilosAsync(null, fastMembership: false, "a2", "b2");
        var started = clock.Elapsed;
        TimeSpan accepted;
        while (true)
        {
            try
            {
                await using var client = await c.ConnectAsync();
                var status = await client.GetStatusAsync("reform");
                accepted = clock.Elapsed;
                c.Log($"cluster accepts calls {accepted.TotalSeconds:F1} s after the restart: {status}");
                var pids = restarted.Select(s => s.Process.Id).ToHashSet();
                await RedisLossTests.Until(() => Task.FromResult(c.Runs().Any(r => r.Kind == "end" && pids.Contains(r.Pid))), Bound, "progress");
                break;
            }
            catch (Exception e) when (e is not Xunit.Sdk.XunitException && clock.Elapsed < Bound)
            {
                c.Log($"not yet: {e.GetBaseException().Message}");
            }
        }
        var progressed = clock.Elapsed;
        output.WriteLine($"RE-FORMATION: silos started in {started.TotalSeconds:F1} s, calls accepted after {accepted.TotalSeconds:F1} s, "
            + $"first cell finished after {progressed.TotalSeconds:F1} s (bound {Bound.TotalSeconds} s)");
        Assert.True(progressed <= Bound, $"the sweep progressed only {progressed.TotalSeconds:F1} s after the restart (bound {Bound.TotalSeconds} s)");

        await using (var client = await c.ConnectAsync())
        {
            var done = await c.WaitAsync(client, "reform", x => x.IsComplete, TimeSpan.FromSeconds(120));
            Assert.Equal(120, done.Succeeded);
        }
    }
}
