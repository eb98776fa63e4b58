using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using PeftGrid.Integration.Tests.Cli;
using PeftGrid.Integration.Tests.Operations;
using PeftGrid.Silo.Hosting;
using Xunit;

namespace PeftGrid.Integration.Tests.Security;

/// <summary>A real silo process with a password-protected Redis (the password in the connection string of an environment
/// variable) and a dashboard token from the environment runs a sweep submitted through the CLI, serves every dashboard route,
/// <c>/status</c> and the probes, takes mutating calls with and without the token and stops on SIGTERM: neither the password
/// nor the token appears in its stdout/stderr, in the CLI's output or in any HTTP body.</summary>
[Collection(SiloProcessCollection.Name)]
public sealed partial class SecretsNeverShownTests : IAsyncLifetime
{
    private readonly string clusterId = $"sec-{Guid.NewGuid():N}"[..14];
    private readonly string password = $"redispw{Guid.NewGuid():N}";
    private readonly string token = $"dashtok{Guid.NewGuid():N}";
    private readonly int redisPort = Processes.FreePort();
    private Process? redis;

    public async Task InitializeAsync() => redis = await OpsProcesses.StartRedisAsync(redisPort, "--requirepass", password);

    public Task DisposeAsync()
    {
        if (redis is { HasExited: false }) { redis.Kill(); }
        redis?.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task NeitherTheRedisPasswordNorTheDashboardTokenAppearsInOutputOrHttpBodies()
    {
        var (dashboard, health) = (Processes.FreePort(), Processes.FreePort());
        var connection = $"127.0.0.1:{redisPort},password={password}";
        var env = OpsProcesses.SiloEnv(clusterId, Processes.FreePort(), Processes.FreePort(), cellMilliseconds: 200);
        env["ConnectionStrings__Redis"] = connection;
        env["PeftGrid__Dashboard__Enabled"] = "true";
        env["PeftGrid__Dashboard__Port"] = dashboard.ToString();
        env["PeftGrid__Dashboard__Token"] = token;
        env["PeftGrid__Health__Port"] = health.ToString();
        env["Logging__LogLevel__PeftGrid"] = "Debug";     // PeftGrid's own logs at their most talkative
        using var silo = new Processes.Silo(env);
        await silo.WaitStartedAsync(TimeSpan.FromSeconds(60));

        var cli = new List<CliProcess.Result>();
        var cliEnv = new Dictionary<string, string> { ["PEFTGRID_REDIS"] = connection };
        string[] ids = ["--cluster-id", clusterId, "--service-id", clusterId];
        var submit = await CliProcess.RunAsync(cliEnv, TimeSpan.FromMinutes(2), ["sweep", "submit", "--grid", "demo-sst2", "--data", TestData.Root, .. ids]);
        cli.Add(submit);
        Assert.True(submit.ExitCode == 0, submit.Stderr);
        var sweep = SweepIdRegex().Match(submit.Stdout).Groups[1].Value;
        Assert.NotEmpty(sweep);

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{dashboard}"), Timeout = TimeSpan.FromSeconds(30) };
        var bodies = new List<(string What, HttpStatusCode Code, string Body)>();
        async Task<string> Send(HttpMethod method, string path, string? bearer = null, int port = 0)
        {
            using var request = new HttpRequestMessage(method, port == 0 ? path : $"http://127.0.0.1:{port}{path}");
            if (bearer is not null) { request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer); }
            using var response = await http.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            bodies.Add(($"{method} {path}", response.StatusCode, body));
            return body;
        }

        // Let the sweep finish (fake runner), so results, curves, boards and workers all have content.
        var finished = false;
        for (var deadline = DateTime.UtcNow.AddSeconds(90); !finished && DateTime.UtcNow < deadline; await Task.Delay(250))
        {
            var status = await Send(HttpMethod.Get, $"/peftgrid/api/sweeps/{sweep}");
            finished = Count(status, "total") > 0 && Count(status, "succeeded") + Count(status, "failed") + Count(status, "diverged") == Count(status, "total");
        }
        Assert.True(finished, bodies[^1].Body);

        var statusBody = await Send(HttpMethod.Get, "/status");
        foreach (var path in new[] { "/peftgrid/", "/peftgrid/api/config", "/peftgrid/api/sweeps", $"/peftgrid/api/sweeps/{sweep}/cells?limit=100",
                                     "/peftgrid/api/boards", "/peftgrid/api/workers" })
        {
            await Send(HttpMethod.Get, path);
        }
        var cells = bodies.Single(b => b.What.Contains("/cells?")).Body;
        foreach (var cell in CellIdRegex().Matches(cells).Select(m => m.Groups[1].Value).Distinct().Take(3))
        {
            await Send(HttpMethod.Get, $"/peftgrid/api/cells/{cell}");
            await Send(HttpMethod.Get, $"/peftgrid/api/cells/{cell}/curve");
        }
        foreach (var key in BoardKeyRegex().Matches(bodies.Single(b => b.What.EndsWith("/api/boards")).Body).Select(m => m.Groups[1].Value))
        {
            await Send(HttpMethod.Get, $"/peftgrid/api/boards/{Uri.EscapeDataString(Regex.Unescape(key))}");
        }
        // Mutating calls: without a token, with a wrong one (its value is echoed nowhere either), with the right one.
        await Send(HttpMethod.Post, $"/peftgrid/api/sweeps/{sweep}/cancel");
        await Send(HttpMethod.Post, $"/peftgrid/api/sweeps/{sweep}/cancel", bearer: token[..^1] + "x");
        await Send(HttpMethod.Post, $"/peftgrid/api/sweeps/{sweep}/retry?failed=true", bearer: token);
        await Send(HttpMethod.Post, $"/peftgrid/api/sweeps/{sweep}/cancel", bearer: token);
        await Send(HttpMethod.Get, SiloOperations.ReadinessPath, port: health);
        await Send(HttpMethod.Get, SiloOperations.LivenessPath, port: health);
        cli.Add(await CliProcess.RunAsync(cliEnv, TimeSpan.FromMinutes(1), ["sweep", "status", "--sweep", sweep, .. ids]));
        cli.Add(await CliProcess.RunAsync(cliEnv, TimeSpan.FromMinutes(1), ["sweep", "status", "--sweep", sweep, "--json", .. ids]));

        await silo.StopAsync(TimeSpan.FromSeconds(30));

        // The exercise was real: every read answered, the token rules held, /status described the host, the silo stopped cleanly.
        Assert.All(bodies.Where(b => b.What.StartsWith("GET", StringComparison.Ordinal)), b => Assert.True(b.Code == HttpStatusCode.OK, $"{b.What}: {b.Code} {b.Body}"));
        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.OK, HttpStatusCode.OK],
            bodies.Where(b => b.What.StartsWith("POST", StringComparison.Ordinal)).Select(b => b.Code));
        Assert.Contains(clusterId, statusBody);
        Assert.Contains($"127.0.0.1:{redisPort}", statusBody);
        Assert.Matches("\"tokenSource\":\\s*\"setting\"", statusBody);
        Assert.Contains(sweep, bodies.Single(b => b.What == "GET /peftgrid/api/sweeps").Body);
        Assert.All(cli, r => Assert.True(r.ExitCode == 0, r.Stderr));
        Assert.Equal(0, silo.Process.ExitCode);
        Assert.Contains("peftgrid-silo: started", silo.Log);

        foreach (var secret in new[] { password, token })
        {
            Assert.DoesNotContain(secret, silo.Log);
            Assert.All(cli, r => Assert.DoesNotContain(secret, r.Stdout + r.Stderr));
            Assert.All(bodies, b => Assert.False(b.Body.Contains(secret, StringComparison.Ordinal), $"{b.What} shows a secret"));
        }
    }

    private static int Count(string json, string field)
    {
        var m = Regex.Match(json, $"\"{field}\":\\s*(\\d+)");
        return m.Success ? int.Parse(m.Groups[1].Value) : 0;
    }

    [GeneratedRegex(@"^sweep (\S+):", RegexOptions.Multiline)]
    private static partial Regex SweepIdRegex();

    [GeneratedRegex("\"cellId\":\\s*\"([^\"]+)\"")]
    private static partial Regex CellIdRegex();

    [GeneratedRegex("\"key\":\\s*\"((?:[^\"\\\\]|\\\\.)+)\"")]
    private static partial Regex BoardKeyRegex();
}
