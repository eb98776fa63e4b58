using System.Net;
using System.Net.Sockets;
using PeftGrid.Silo.Hosting;
using Xunit;

namespace PeftGrid.Integration.Tests.Operations;

/// <summary>The silo's probes (<see cref="SiloOperations"/>) on a real silo process: the probe-only listener answers
/// <c>/healthz</c> and <c>/readyz</c> and nothing else; readiness is 503 until the silo is Active with its workers and again
/// once it is stopping; liveness holds while the silo starts.</summary>
[Collection(SiloProcessCollection.Name)]
public sealed class SiloProbeTests
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    private static async Task<(int Status, string Body)> GetAsync(int port, string path, HttpMethod? method = null)
    {
        try
        {
            using var response = await Http.SendAsync(new HttpRequestMessage(method ?? HttpMethod.Get, $"http://127.0.0.1:{port}{path}"));
            return ((int)response.StatusCode, (await response.Content.ReadAsStringAsync()).Trim());
        }
        catch (HttpRequestException)
        {
            return (0, "refused");
        }
    }

    private static async Task<(int Status, string Body)> WaitForAsync(int port, string path, Func<int, bool> until, TimeSpan timeout)
    {
        var r = await GetAsync(port, path);
        for (var deadline = DateTime.UtcNow + timeout; !until(r.Status) && DateTime.UtcNow < deadline; await Task.Delay(100))
        {
            r = await GetAsync(port, path);
        }
        return r;
    }

    [Fact]
    public async Task TheProbePortAnswersOnlyTheProbesAndReadinessFollowsTheSilo()
    {
        var (health, dashboard) = (Processes.FreePort(), Processes.FreePort());
        var env = OpsProcesses.SiloEnv($"probe-{Guid.NewGuid():N}"[..14], Processes.FreePort(), Processes.FreePort());
        env["PeftGrid__Health__Port"] = health.ToString();
        env["PeftGrid__Dashboard__Enabled"] = "true";
        env["PeftGrid__Dashboard__Port"] = dashboard.ToString();
        using var silo = new Processes.Silo(env);
        await silo.WaitStartedAsync(TimeSpan.FromSeconds(60));

        var ready = await WaitForAsync(health, SiloOperations.ReadinessPath, s => s == 200, TimeSpan.FromSeconds(15));
        Assert.Equal((200, "ready: silo Active, 1 worker"), ready);
        Assert.Equal((200, "ok"), await GetAsync(health, SiloOperations.LivenessPath));
        // Nothing else on the probe port: not the dashboards, not their API, not /status.
        foreach (var path in new[] { "/", "/peftgrid/", "/peftgrid/api/sweeps", "/status", "/DashboardCounters", "/healthz/x" })
        {
            Assert.Equal(404, (await GetAsync(health, path)).Status);
        }
        Assert.Equal(405, (await GetAsync(health, SiloOperations.ReadinessPath, HttpMethod.Post)).Status);
        // The same probes on the dashboard's (loopback) web host.
        Assert.Equal((200, "ready: silo Active, 1 worker"), await GetAsync(dashboard, SiloOperations.ReadinessPath));
        Assert.Equal((200, "ok"), await GetAsync(dashboard, SiloOperations.LivenessPath));

        // SIGTERM: readiness drops (503 "stopping", or the listener is gone) and the silo exits cleanly.
        await OpsProcesses.SignalAsync(silo.Process.Id, "TERM");
        var stopping = await WaitForAsync(health, SiloOperations.ReadinessPath, s => s != 200, TimeSpan.FromSeconds(10));
        Assert.NotEqual(200, stopping.Status);
        await silo.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(0, silo.Process.ExitCode);
    }

    [Fact]
    public async Task LiveButNotReadyWhileTheSiloCannotStart()
    {
        // A "Redis" that accepts connections and never answers: the silo's start hangs in its connect timeouts.
        using var blackHole = new TcpListener(IPAddress.Loopback, 0);
        blackHole.Start();
        var accepted = new List<TcpClient>();
        _ = Task.Run(async () => { while (true) { accepted.Add(await blackHole.AcceptTcpClientAsync()); } });
        var health = Processes.FreePort();
        var env = OpsProcesses.SiloEnv($"probe-{Guid.NewGuid():N}"[..14], Processes.FreePort(), Processes.FreePort());
        env["PeftGrid__Health__Port"] = health.ToString();
        env["ConnectionStrings__Redis"] = $"127.0.0.1:{((IPEndPoint)blackHole.LocalEndpoint).Port}";
        using var silo = new Processes.Silo(env);

        var live = await WaitForAsync(health, SiloOperations.LivenessPath, s => s == 200, TimeSpan.FromSeconds(60));
        Assert.Equal((200, "ok"), live);
        var ready = await GetAsync(health, SiloOperations.ReadinessPath);
        Assert.False(silo.Log.Contains("peftgrid-silo: started", StringComparison.Ordinal), silo.Log);
        Assert.Equal((503, "not ready: starting"), ready);
        await silo.KillAsync();
        accepted.ForEach(c => c.Dispose());
    }

    [Fact]
    public async Task AProbeHostThatIsNotAnAddressIsAOneLineStartError()
    {
        var env = OpsProcesses.SiloEnv($"probe-{Guid.NewGuid():N}"[..14], Processes.FreePort(), Processes.FreePort());
        env["PeftGrid__Health__Port"] = Processes.FreePort().ToString();
        env["PeftGrid__Health__Host"] = "probes.example";
        using var silo = new Processes.Silo(env);
        await silo.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(1, silo.Process.ExitCode);
        Assert.Contains("peftgrid-silo: error: PeftGrid:Health:Host must be an IP address (e.g. 127.0.0.1 or 0.0.0.0), got 'probes.example'", silo.Log);
    }
}
