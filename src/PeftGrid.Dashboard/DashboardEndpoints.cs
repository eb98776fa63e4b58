using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

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
    public static IEndpointRouteBuilder MapPeftGridDashboard(this IEndpointRouteBuilder endpoints, DashboardSettings settings, DashboardHostInfo host)
    {
        // issue 11: api helper fills this in.
        return endpoints;
    }
}

/// <summary>What the host serving a dashboard is, as <c>/status</c> reports it. Holds no secret: connection strings are described
/// by their endpoints only.</summary>
public sealed record DashboardHostInfo
{
    /// <summary><c>silo</c> or <c>client</c> (the <c>peftgrid dashboard</c> command).</summary>
    public required string Kind { get; init; }
    /// <summary>Orleans cluster id.</summary>
    public string ClusterId { get; init; } = "peftgrid";
    /// <summary>Orleans service id.</summary>
    public string ServiceId { get; init; } = "peftgrid";
    /// <summary>Silo name (silo hosts only).</summary>
    public string? Silo { get; init; }
    /// <summary>How the cluster is reached or clustered, without secrets, e.g. <c>Redis at 10.0.0.5:6379</c>, <c>localhost clustering</c>.</summary>
    public string Clustering { get; init; } = "";
}
