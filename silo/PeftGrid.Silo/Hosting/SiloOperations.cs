using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Runtime;
using PeftGrid.Grains.Workers;

namespace PeftGrid.Silo.Hosting;

/// <summary>
/// The silo's liveness and readiness probes (<see cref="HealthSettings"/>): <see cref="LivenessPath"/> answers 200 while the
/// process serves requests; <see cref="ReadinessPath"/> answers 200 only when the host has started and is not stopping,
/// this silo is <see cref="SiloStatus.Active"/> in the membership view, and the local worker pool runs (or workers are
/// disabled), else 503 with the reason. Both are cheap: no grain call, no Redis round trip.
/// </summary>
public static class SiloOperations
{
    /// <summary>The liveness probe's path.</summary>
    public const string LivenessPath = "/healthz";
    /// <summary>The readiness probe's path.</summary>
    public const string ReadinessPath = "/readyz";

    /// <summary>A probe's answer: HTTP status and a one-line plain-text body (no secrets: states and counts only).</summary>
    /// <param name="Status">200 or 503.</param>
    /// <param name="Body">E.g. <c>ready: silo Active, 1 worker</c> or <c>not ready: silo is Joining</c>.</param>
    public sealed record ProbeResult(int Status, string Body);

    /// <summary>Maps the probe endpoints on the dashboard's web host (loopback by default), next to the dashboards.</summary>
    /// <param name="app">The silo's web app.</param>
    /// <param name="settings">The silo's settings.</param>
    public static WebApplication MapSiloOperations(this WebApplication app, SiloSettings settings)
    {
        app.MapMethods(LivenessPath, [HttpMethods.Get, HttpMethods.Head], ctx => WriteAsync(ctx, Liveness()));
        app.MapMethods(ReadinessPath, [HttpMethods.Get, HttpMethods.Head], ctx => WriteAsync(ctx, Readiness(ctx.RequestServices)));
        return app;
    }

    /// <summary>Liveness: the process answers.</summary>
    public static ProbeResult Liveness() => new(StatusCodes.Status200OK, "ok");

    /// <summary>Readiness of the silo whose services are <paramref name="silo"/> (see the class summary).</summary>
    /// <param name="silo">The silo host's services.</param>
    public static ProbeResult Readiness(IServiceProvider silo)
    {
        var lifetime = silo.GetRequiredService<IHostApplicationLifetime>();
        if (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            return NotReady("stopping");
        }
        if (!lifetime.ApplicationStarted.IsCancellationRequested)
        {
            return NotReady("starting");
        }
        var local = silo.GetRequiredService<ILocalSiloDetails>().SiloAddress;
        var status = silo.GetRequiredService<IClusterMembershipService>().CurrentSnapshot.GetSiloStatus(local);
        if (status != SiloStatus.Active)
        {
            return NotReady($"silo is {status}");
        }
        if (silo.GetRequiredService<WorkerOptions>().Disabled)
        {
            return new(StatusCodes.Status200OK, "ready: silo Active, workers disabled");
        }
        var pool = silo.GetServices<IHostedService>().OfType<WorkerPoolService>().SingleOrDefault();
        if (pool?.ExecuteTask is not { IsCompleted: false })
        {
            return NotReady("worker pool is not running");
        }
        var n = pool.Workers.Count;
        return new(StatusCodes.Status200OK, $"ready: silo Active, {n} worker{(n == 1 ? "" : "s")}");
    }

    private static ProbeResult NotReady(string reason) => new(StatusCodes.Status503ServiceUnavailable, $"not ready: {reason}");

    /// <summary>
    /// Starts the probe listener on <see cref="HealthSettings.Host"/>:<see cref="HealthSettings.Port"/>: a Kestrel server of
    /// its own (no host filtering, no logging, no routing) that answers <c>GET</c>/<c>HEAD</c> of <see cref="LivenessPath"/> and
    /// <see cref="ReadinessPath"/> about <paramref name="silo"/>, 405 for other methods on them and 404 for every other path.
    /// Start it before the silo host and stop it after.
    /// </summary>
    /// <param name="silo">The silo host's services (read at each request; the host need not have started).</param>
    /// <param name="settings">Where to listen; <see cref="HealthSettings.Port"/> 0 = no listener (returns null).</param>
    /// <exception cref="ArgumentException">The host is not an IP address or the port is out of range.</exception>
    /// <exception cref="IOException">The port is in use.</exception>
    public static async Task<WebApplication?> StartProbeListenerAsync(IServiceProvider silo, HealthSettings settings)
    {
        if (settings.Port == 0)
        {
            return null;
        }
        if (settings.Port is < 1 or > 65535)
        {
            throw new ArgumentException($"PeftGrid:Health:Port must be 0 (off) or a port in 1..65535, got {settings.Port}");
        }
        if (!IPAddress.TryParse(settings.Host, out var address))
        {
            throw new ArgumentException($"PeftGrid:Health:Host must be an IP address (e.g. 127.0.0.1 or 0.0.0.0), got '{settings.Host}'");
        }
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(address, settings.Port));
        var app = builder.Build();
        app.Run(ctx => ctx.Request.Path.Value switch
        {
            LivenessPath or ReadinessPath when !HttpMethods.IsGet(ctx.Request.Method) && !HttpMethods.IsHead(ctx.Request.Method) =>
                WriteAsync(ctx, new(StatusCodes.Status405MethodNotAllowed, "method not allowed: GET or HEAD")),
            LivenessPath => WriteAsync(ctx, Liveness()),
            ReadinessPath => WriteAsync(ctx, Readiness(silo)),
            _ => WriteAsync(ctx, new(StatusCodes.Status404NotFound, $"not found: this port answers only {LivenessPath} and {ReadinessPath}")),
        });
        try
        {
            await app.StartAsync();
        }
        catch (IOException e)
        {
            await app.DisposeAsync();
            throw new IOException($"PeftGrid:Health:Port: cannot listen on {settings.Host}:{settings.Port}: {e.GetBaseException().Message}");
        }
        return app;
    }

    private static Task WriteAsync(HttpContext ctx, ProbeResult result)
    {
        ctx.Response.StatusCode = result.Status;
        ctx.Response.ContentType = "text/plain; charset=utf-8";
        ctx.Response.Headers.CacheControl = "no-store";
        return HttpMethods.IsHead(ctx.Request.Method) ? Task.CompletedTask : ctx.Response.WriteAsync(result.Body + "\n");
    }
}
