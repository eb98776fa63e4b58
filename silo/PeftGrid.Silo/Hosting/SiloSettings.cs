using PeftGrid.Grains.Runners;
using PeftGrid.Grains.Workers;

namespace PeftGrid.Silo.Hosting;

/// <summary>
/// The silo's settings: configuration section <c>PeftGrid</c> (appsettings.json, or environment variables such as
/// <c>PeftGrid__SiloPort=11112</c>). The Redis connection string is <c>ConnectionStrings:Redis</c>
/// (<c>ConnectionStrings__Redis</c>); without it the silo is an embedded single-process cluster.
/// </summary>
public sealed class SiloSettings
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "PeftGrid";

    /// <summary>Orleans cluster id. Default <c>peftgrid</c>.</summary>
    public string ClusterId { get; set; } = "peftgrid";
    /// <summary>Orleans service id (keys grain state: keep it stable across restarts). Default <c>peftgrid</c>.</summary>
    public string ServiceId { get; set; } = "peftgrid";
    /// <summary>Silo name, the prefix of its worker ids; default <c>machine-siloPort</c>.</summary>
    public string? SiloName { get; set; }
    /// <summary>Address advertised to other silos. Default 127.0.0.1 (loopback only).</summary>
    public string AdvertisedIP { get; set; } = "127.0.0.1";
    /// <summary>Silo-to-silo port. Default 11111.</summary>
    public int SiloPort { get; set; } = 11111;
    /// <summary>Client gateway port. Default 30000.</summary>
    public int GatewayPort { get; set; } = 30000;
    /// <summary>Trial runner: <c>torch</c> (PeftGrid.Tasks's trainer, default) or <c>fake</c> (tests and benchmarks only).</summary>
    public string Runner { get; set; } = "torch";
    /// <summary>Data root of the torch runner (GLUE, checkpoints); default <c>$PEFTGRID_DATA</c> or <c>../shared/data</c>.</summary>
    public string? DataRoot { get; set; }
    /// <summary>Local workers (section <c>PeftGrid:Workers</c>): devices, lease batch, poll interval.</summary>
    public WorkerOptions Workers { get; set; } = new();
    /// <summary>Fake runner options (section <c>PeftGrid:Fake</c>), used when <see cref="Runner"/> is <c>fake</c>.</summary>
    public FakeRunnerOptions Fake { get; set; } = new();
    /// <summary>Use Orleans Kubernetes hosting (pod name/IP, dead-pod detection; needs the RBAC in k8s/rbac.yaml). Default false.</summary>
    public bool KubernetesHosting { get; set; }
    /// <summary>Orleans dashboard (section <c>PeftGrid:Dashboard</c>).</summary>
    public DashboardSettings Dashboard { get; set; } = new();
}

/// <summary>Where the Orleans dashboard listens.</summary>
public sealed class DashboardSettings
{
    /// <summary>Serve the dashboard. Default true for the silo process, false for embedded clusters.</summary>
    public bool Enabled { get; set; } = true;
    /// <summary>Bind address. Default 127.0.0.1 (never exposed unless changed).</summary>
    public string Host { get; set; } = "127.0.0.1";
    /// <summary>Port. Default 8080.</summary>
    public int Port { get; set; } = 8080;
}
