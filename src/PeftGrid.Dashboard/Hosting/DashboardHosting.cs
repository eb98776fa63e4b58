using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.HostFiltering;
using Microsoft.Extensions.DependencyInjection;

namespace PeftGrid.Dashboard.Hosting;

/// <summary>The web host set-up every dashboard host shares (the silo's and <c>peftgrid dashboard</c>'s).</summary>
public static class DashboardHosting
{
    /// <summary>Runs the start-up check (<see cref="DashboardAccess.Resolve"/>), binds <see cref="DashboardSettings.Host"/>:<see cref="DashboardSettings.Port"/>,
    /// answers only <see cref="DashboardSettings.AllowedHosts"/> (loopback names by default: a DNS-rebinding page gets 400) and
    /// registers the <see cref="DashboardAccess"/> and the <paramref name="settings"/>.</summary>
    /// <param name="web">The web application builder.</param>
    /// <param name="settings">The dashboard settings.</param>
    /// <returns>The access (token source, read-only).</returns>
    /// <exception cref="ArgumentException">A non-loopback host without a token, or a bad path base.</exception>
    public static DashboardAccess AddPeftGridDashboard(this WebApplicationBuilder web, DashboardSettings settings)
    {
        var access = DashboardAccess.Resolve(settings);
        DashboardEndpoints.NormalizedPathBase(settings.PathBase);
        var host = settings.Host.Contains(':', StringComparison.Ordinal) && !settings.Host.StartsWith('[') ? $"[{settings.Host}]" : settings.Host;
        web.WebHost.UseUrls($"http://{host}:{settings.Port}");
        web.Services.Configure<HostFilteringOptions>(o => o.AllowedHosts =
            settings.AllowedHosts is { Count: > 0 } hosts ? hosts : [.. DashboardSettings.LoopbackHosts]);
        web.Services.AddSingleton(access).AddSingleton(settings);
        return access;
    }
}
