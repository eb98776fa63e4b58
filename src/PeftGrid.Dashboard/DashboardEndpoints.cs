using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using PeftGrid.Dashboard.Api;
using PeftGrid.Dashboard.Hosting;

namespace PeftGrid.Dashboard;

/// <summary>
/// Maps the PeftGrid dashboard — the page and its JSON API under <see cref="DashboardSettings.PathBase"/>, and <c>/status</c> —
/// onto a web host whose services hold an <see cref="IGrainFactory"/> (a silo's, or a cluster client's). See
/// <c>src/PeftGrid.Dashboard/README-api.md</c> for the routes.
/// </summary>
public static class DashboardEndpoints
{
    /// <summary>Maps the dashboard.</summary>
    /// <param name="endpoints">The web app.</param>
    /// <param name="settings">Path base and token.</param>
    /// <param name="host">What <c>/status</c> says about the host serving it (never a secret).</param>
    /// <returns><paramref name="endpoints"/>.</returns>
    /// <exception cref="ArgumentException">See <see cref="DashboardAccess.Resolve"/> (when the host did not resolve it already).</exception>
    public static IEndpointRouteBuilder MapPeftGridDashboard(this IEndpointRouteBuilder endpoints, DashboardSettings settings, DashboardHostInfo host)
    {
        var access = endpoints.ServiceProvider.GetService<DashboardAccess>() ?? DashboardAccess.Resolve(settings);
        var pathBase = NormalizedPathBase(settings.PathBase);
        var assets = EmbeddedAssets.Default;
        var root = endpoints.MapGroup(pathBase);
        // "/peftgrid" and "/peftgrid/" match one route: the first is redirected, so the page's relative URLs resolve under it.
        root.MapGet("/", (HttpContext ctx) => ctx.Request.Path.Value?.EndsWith('/') == true
            ? assets.Serve(ctx, "index.html")
            : Results.Redirect($"{ctx.Request.PathBase}{ctx.Request.Path}/{ctx.Request.QueryString}"));
        root.MapGet("/assets/{**file}", (HttpContext ctx, string file) => assets.Serve(ctx, $"assets/{file}"));
        var api = root.MapGroup("/api").AddEndpointFilter(DashboardJson.Guard);
        ReadRoutes.Map(api, new DashboardConfig(access.ReadOnly, pathBase, ReadRoutes.Version));
        ActionRoutes.Map(api, access);
        endpoints.MapGet("/status", () => DashboardJson.Ok(new StatusView(host.Kind, host.ClusterId, host.ServiceId, host.Silo, host.Clustering,
            new DashboardStatus(access.ReadOnly, access.TokenSource, pathBase))));
        return endpoints;
    }

    /// <summary><paramref name="pathBase"/> with one leading and no trailing <c>/</c> (<c>peftgrid/</c> → <c>/peftgrid</c>).</summary>
    /// <exception cref="ArgumentException">Empty or <c>/</c>: the dashboard needs its own path.</exception>
    public static string NormalizedPathBase(string pathBase)
    {
        var trimmed = (pathBase ?? "").Trim().Trim('/');
        return trimmed.Length == 0
            ? throw new ArgumentException($"PeftGrid:Dashboard:PathBase '{pathBase}' is not allowed; expected a path such as /peftgrid")
            : "/" + trimmed;
    }
}
