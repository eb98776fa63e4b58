using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PeftGrid.Client;
using PeftGrid.Contracts.Grid;
using PeftGrid.Grains.Runners;
using PeftGrid.Silo.Hosting;

namespace PeftGrid.Dashboard.Tests.Api;

/// <summary>An in-process silo (SiloHost.Build, in-memory storage, the fake runner) with its dashboard on a free loopback port,
/// optionally with a token, and an HTTP client of it.</summary>
public sealed class ApiSilo : IAsyncDisposable
{
    private ApiSilo(IHost host, int port, int gatewayPort)
    {
        GatewayPort = gatewayPort;
        Host = host;
        Port = port;
        Client = host.Services.GetRequiredService<IClusterClient>();
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
    }

    public IHost Host { get; }
    public int Port { get; }
    /// <summary>The silo's gateway port on 127.0.0.1 (for <c>peftgrid dashboard --gateway-port</c>).</summary>
    public int GatewayPort { get; }
    public IClusterClient Client { get; }
    public HttpClient Http { get; }
    public ISchedulerGrain Scheduler => Client.GetGrain<ISchedulerGrain>(GrainKeys.Scheduler);

    /// <summary>Starts a silo; <paramref name="dashboard"/> adds <c>PeftGrid:Dashboard:*</c> settings (e.g. Token).</summary>
    public static async Task<ApiSilo> StartAsync(FakeRunnerOptions fake, IReadOnlyDictionary<string, string?>? dashboard = null, int devices = 1)
    {
        var port = FreePort();
        var cfg = Overrides(port, devices);
        foreach (var (k, v) in dashboard ?? new Dictionary<string, string?>())
        {
            cfg[$"PeftGrid:Dashboard:{k}"] = v;
        }
        var host = SiloHost.Build([], cfg, new FakeTrialRunner(fake));
        await host.StartAsync();
        return new ApiSilo(host, port, int.Parse(cfg["PeftGrid:GatewayPort"]!, CultureInfo.InvariantCulture));
    }

    /// <summary>The configuration of a localhost silo with the dashboard on <paramref name="port"/>, whatever the environment says.</summary>
    public static Dictionary<string, string?> Overrides(int port, int devices = 1)
    {
        var cfg = new Dictionary<string, string?>
        {
            ["PeftGrid:SiloPort"] = FreePort().ToString(CultureInfo.InvariantCulture),
            ["PeftGrid:GatewayPort"] = FreePort().ToString(CultureInfo.InvariantCulture),
            ["PeftGrid:Runner"] = "fake",
            ["PeftGrid:Workers:PollMilliseconds"] = "20",
            ["PeftGrid:Dashboard:Enabled"] = "true",
            ["PeftGrid:Dashboard:Port"] = port.ToString(CultureInfo.InvariantCulture),
            ["ConnectionStrings:Redis"] = "",
            [ClusterSecrets.RedisVariable] = "",
            [ClusterSecrets.RedisFileVariable] = "",
        };
        for (var i = 0; i < devices; i++)
        {
            cfg[$"PeftGrid:Workers:Devices:{i}"] = $"cpu:{i}";
        }
        return cfg;
    }

    /// <summary>Submits sst2 × minilm × methods × tiers × seeds as one sweep and returns its id (<see cref="TestSweeps.SubmitAsync"/>).</summary>
    public Task<string> SubmitAsync(string name, IEnumerable<string> methods, IEnumerable<double?> tiers, IEnumerable<int> seeds) =>
        TestSweeps.SubmitAsync(Scheduler, name, methods, tiers, seeds);

    /// <summary>Waits until the sweep has no pending or running cell.</summary>
    public Task<SweepStatus> WaitCompleteAsync(string sweepId, int seconds = 60) => TestSweeps.WaitCompleteAsync(Scheduler, sweepId, seconds);

    /// <summary>GET <paramref name="path"/>: the status code and the parsed body.</summary>
    public async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(string path)
    {
        using var response = await Http.GetAsync(path);
        return (response.StatusCode, await ParseAsync(response));
    }

    /// <summary>POST <paramref name="path"/> with an optional bearer token.</summary>
    public async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(string path, string? token = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        using var response = await Http.SendAsync(request);
        return (response.StatusCode, await ParseAsync(response));
    }

    private static async Task<JsonElement> ParseAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        try
        {
            await Host.StopAsync(TimeSpan.FromSeconds(20));
        }
        finally
        {
            Host.Dispose();
        }
    }

    public static int FreePort() => TestSweeps.FreePort();
}
