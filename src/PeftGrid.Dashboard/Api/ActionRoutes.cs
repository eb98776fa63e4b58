using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PeftGrid.Contracts.Grid;
using PeftGrid.Dashboard.Hosting;

namespace PeftGrid.Dashboard.Api;

/// <summary>The mutating routes (cancel a sweep, rerun its failed/diverged cells): 403 on a read-only dashboard, 401 without
/// the right <c>Authorization: Bearer TOKEN</c>.</summary>
public static class ActionRoutes
{
    /// <summary>Maps them on <paramref name="api"/>.</summary>
    /// <param name="api">The <c>{PathBase}/api</c> group.</param>
    /// <param name="access">The token check.</param>
    public static void Map(RouteGroupBuilder api, DashboardAccess access)
    {
        var actions = api.MapGroup("").AddEndpointFilter(async (ctx, next) =>
        {
            if (access.ReadOnly)
            {
                return DashboardJson.Error(StatusCodes.Status403Forbidden,
                    "read-only dashboard: no token is configured (PeftGrid:Dashboard:Token or PeftGrid:Dashboard:TokenFile)");
            }
            if (!access.Allows(ctx.HttpContext.Request.Headers.Authorization.ToString() is { Length: > 0 } h ? h : null))
            {
                ctx.HttpContext.Response.Headers.WWWAuthenticate = "Bearer";
                return DashboardJson.Error(StatusCodes.Status401Unauthorized, "Authorization: a valid 'Bearer TOKEN' header is required for this action");
            }
            return await next(ctx);
        });
        actions.MapPost("/sweeps/{id}/cancel", async (IGrainFactory g, string id) => DashboardJson.Ok(await ReadRoutes.Scheduler(g).CancelAsync(id)));
        actions.MapPost("/sweeps/{id}/retry", async (IGrainFactory g, string id, HttpRequest request) =>
        {
            var failed = DashboardQuery.Bool(request.Query, "failed");
            var diverged = DashboardQuery.Bool(request.Query, "diverged");
            var both = failed is null && diverged is null;
            var retry = new RetryRequest { Failed = both || failed == true, Diverged = both || diverged == true };
            return retry is { Failed: false, Diverged: false }
                ? throw new DashboardQueryException("failed, diverged: both are false; allowed: true for at least one, or neither given (both)")
                : DashboardJson.Ok(await ReadRoutes.Scheduler(g).RetryAsync(id, retry));
        });
    }
}
