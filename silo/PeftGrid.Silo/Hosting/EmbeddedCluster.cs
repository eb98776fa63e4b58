using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PeftGrid.Client;
using PeftGrid.Dashboard;
using PeftGrid.Dashboard.Hosting;
using PeftGrid.Contracts.Trials;
using PeftGrid.Grains.Runners;

namespace PeftGrid.Silo.Hosting;

/// <summary>What an in-process silo runs.</summary>
public sealed record EmbeddedClusterOptions
{
    /// <summary>The runner instance (e.g. a real TorchTrialRunner for an end-to-end test); null = from <see cref="RunnerKind"/>.</summary>
    public ITrialRunner? Runner { get; init; }
    /// <summary><c>torch</c> (default) or <c>fake</c>, when <see cref="Runner"/> is null.</summary>
    public string RunnerKind { get; init; } = "torch";
    /// <summary>Data root of the torch runner.</summary>
    public string? DataRoot { get; init; }
    /// <summary>Fake runner options when <see cref="RunnerKind"/> is <c>fake</c>.</summary>
    public FakeRunnerOptions? Fake { get; init; }
    /// <summary>Worker devices. Default <c>cpu:0</c>.</summary>
    public IReadOnlyList<string> Devices { get; init; } = ["cpu:0"];
    /// <summary>Cells leased per worker call. Default 1.</summary>
    public int LeaseBatch { get; init; } = 1;
    /// <summary>Idle poll interval, ms. Default 100.</summary>
    public int PollMilliseconds { get; init; } = 100;
    /// <summary>Redis connection string: null = in-memory storage and localhost clustering.</summary>
    public string? Redis { get; init; }
    /// <summary>Serve the dashboard on 127.0.0.1:<see cref="DashboardPort"/>. Default false.</summary>
    public bool Dashboard { get; init; }
    /// <summary>Dashboard port. Default 8080; 0 = any free port (see <see cref="EmbeddedCluster.DashboardUrl"/>).</summary>
    public int DashboardPort { get; init; } = 8080;
    /// <summary>Orleans cluster id; null = <c>PeftGrid:ClusterId</c> from the environment (<c>PeftGrid__ClusterId</c>), else <c>peftgrid</c>.</summary>
    public string? ClusterId { get; init; }
    /// <summary>Orleans service id; null = <c>PeftGrid:ServiceId</c> from the environment, else <c>peftgrid</c>.</summary>
    public string? ServiceId { get; init; }
}

/// <summary>A single-process PeftGrid cluster (silo + workers + client) started in this process.</summary>
public sealed class EmbeddedCluster : IAsyncDisposable
{
    private EmbeddedCluster(IHost host, int gatewayPort)
    {
        Host = host;
        GatewayPort = gatewayPort;
        Client = host.Services.GetRequiredService<IClusterClient>();
        DashboardUrl = host is WebApplication app && app.Services.GetService<DashboardSettings>() is { } dashboard
            ? ClientDashboard.Url(app, dashboard) : null;
    }

    /// <summary>The dashboard's URL (<c>http://127.0.0.1:PORT/peftgrid/</c>, the bound port), or null when it is not served.</summary>
    public string? DashboardUrl { get; }

    /// <summary>The silo host.</summary>
    public IHost Host { get; }
    /// <summary>A client of the cluster (the silo's own).</summary>
    public IClusterClient Client { get; }
    /// <summary>The gateway port other processes can connect to on 127.0.0.1.</summary>
    public int GatewayPort { get; }

    /// <summary>Starts a silo on free loopback ports.</summary>
    /// <exception cref="InvalidOperationException">The silo did not start (e.g. Redis unreachable); the message says why.</exception>
    public static async Task<EmbeddedCluster> StartAsync(EmbeddedClusterOptions options, CancellationToken cancellationToken = default)
    {
        var (siloPort, gatewayPort) = (FreePort(), FreePort());
        var cfg = new Dictionary<string, string?>
        {
            ["PeftGrid:SiloPort"] = siloPort.ToString(CultureInfo.InvariantCulture),
            ["PeftGrid:GatewayPort"] = gatewayPort.ToString(CultureInfo.InvariantCulture),
            ["PeftGrid:Runner"] = options.RunnerKind,
            ["PeftGrid:DataRoot"] = options.DataRoot,
            ["PeftGrid:Workers:LeaseBatch"] = options.LeaseBatch.ToString(CultureInfo.InvariantCulture),
            ["PeftGrid:Workers:PollMilliseconds"] = options.PollMilliseconds.ToString(CultureInfo.InvariantCulture),
            ["PeftGrid:Dashboard:Enabled"] = options.Dashboard ? "true" : "false",
            ["PeftGrid:Dashboard:Port"] = options.DashboardPort.ToString(CultureInfo.InvariantCulture),
            // Null = in memory, whatever the environment says (ConnectionStrings__Redis, PEFTGRID_REDIS[_FILE] are for silo processes).
            ["ConnectionStrings:Redis"] = options.Redis ?? "",
            [ClusterSecrets.RedisVariable] = "",
            [ClusterSecrets.RedisFileVariable] = "",
            ["PeftGrid:ClusterId"] = options.ClusterId,
            ["PeftGrid:ServiceId"] = options.ServiceId,
        };
        for (var i = 0; i < options.Devices.Count; i++)
        {
            cfg[$"PeftGrid:Workers:Devices:{i}"] = options.Devices[i];
        }
        var settings = new SiloSettings { Runner = options.RunnerKind, DataRoot = options.DataRoot, Fake = options.Fake ?? new FakeRunnerOptions() };
        var runner = options.Runner ?? RunnerFactory.Create(settings);
        var host = SiloHost.Build([], cfg.Where(kv => kv.Value is not null).ToDictionary(), runner);
        try
        {
            await host.StartAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            host.Dispose();
            throw new InvalidOperationException($"the embedded silo did not start: {e.GetBaseException().Message.ReplaceLineEndings(" ")}", e);
        }
        return new EmbeddedCluster(host, gatewayPort);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await Host.StopAsync(TimeSpan.FromSeconds(20));
        }
        finally
        {
            Host.Dispose();
        }
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
