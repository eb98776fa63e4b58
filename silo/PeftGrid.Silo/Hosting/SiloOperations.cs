using Microsoft.AspNetCore.Builder;

namespace PeftGrid.Silo.Hosting;

/// <summary>The silo's operational endpoints on its web host: liveness and readiness probes for Kubernetes.</summary>
public static class SiloOperations
{
    /// <summary>Maps the probe endpoints.</summary>
    /// <param name="app">The silo's web app.</param>
    /// <param name="settings">The silo's settings.</param>
    public static WebApplication MapSiloOperations(this WebApplication app, SiloSettings settings)
    {
        // issue 11: ops helper fills this in (/healthz, /readyz).
        return app;
    }
}
