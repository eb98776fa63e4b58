using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PeftGrid.Client;

namespace PeftGrid.Dashboard.Hosting;

/// <summary>The web host of <c>peftgrid dashboard</c>: the dashboard over a cluster client (no silo, no TorchSharp).</summary>
public static class ClientDashboard
{
    /// <summary>What <c>/status</c> says about a client-side dashboard: the cluster ids and where it connects, never a password.</summary>
    /// <param name="connection">How the client reached the cluster.</param>
    public static DashboardHostInfo HostInfo(ClusterConnection connection) => new()
    {
        Kind = "client", ClusterId = connection.ClusterId, ServiceId = connection.ServiceId, Clustering = connection.Describe(),
    };

    /// <summary>Builds (does not start) the web app: the start-up check first (<see cref="DashboardAccess.Resolve"/>), then the
    /// dashboard and <c>/status</c> over <paramref name="cluster"/>.</summary>
    /// <param name="settings">Bind address, port (0 = any free one), token, path base.</param>
    /// <param name="connection">How <paramref name="cluster"/> was reached (for <c>/status</c>).</param>
    /// <param name="cluster">A connected cluster client.</param>
    /// <exception cref="ArgumentException">A non-loopback host without a token, or a bad path base.</exception>
    public static WebApplication Build(DashboardSettings settings, ClusterConnection connection, IClusterClient cluster)
    {
        var web = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [] });
        web.AddPeftGridDashboard(settings);
        web.Logging.AddFilter("Microsoft", LogLevel.Warning).AddFilter("Orleans", LogLevel.Warning);
        web.Services.AddSingleton(cluster).AddSingleton<IGrainFactory>(cluster);
        var app = web.Build();
        app.MapPeftGridDashboard(settings, HostInfo(connection));
        return app;
    }

    /// <summary>The dashboard's URL once <paramref name="app"/> started, e.g. <c>http://127.0.0.1:8080/peftgrid/</c> (the bound port
    /// when <see cref="DashboardSettings.Port"/> is 0).</summary>
    /// <param name="app">A started app built by <see cref="Build"/> or a silo's web host (<see cref="DashboardHosting.AddPeftGridDashboard"/>).</param>
    /// <param name="settings">Its settings.</param>
    public static string Url(WebApplication app, DashboardSettings settings)
    {
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? $"http://{settings.Host}:{settings.Port}";
        return $"{address.TrimEnd('/')}{DashboardEndpoints.NormalizedPathBase(settings.PathBase)}/";
    }
}
