using PeftGrid.Dashboard;
using PeftGrid.Grains.Runners;
using PeftGrid.Grains.Workers;

namespace PeftGrid.Silo.Hosting;

/// <summary>
/// The silo's settings: configuration section <c>PeftGrid</c> (appsettings.json, or environment variables such as
/// <c>PeftGrid__SiloPort=11112</c>). The Redis connection string is <c>ConnectionStrings:Redis</c>
/// (<c>ConnectionStrings__Redis</c>), else <c>PEFTGRID_REDIS</c>, else the contents of the file <c>PEFTGRID_REDIS_FILE</c>
/// names (a mounted Secret); without any the silo is an embedded single-process cluster. It is never printed.
/// </summary>
public sealed class SiloSettings
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "PeftGrid";

    /// <summary>Orleans cluster id: one per deployment (two deployments sharing a Redis or a network must differ); clients
    /// pass the same (<c>--cluster-id</c>). Default <c>peftgrid</c>.</summary>
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
    /// <summary>The web host of the PeftGrid dashboard and the Orleans dashboard (section <c>PeftGrid:Dashboard</c>).</summary>
    public DashboardSettings Dashboard { get; set; } = new();
    /// <summary>Mutual TLS between silos and for clients (section <c>PeftGrid:Tls</c>); off unless a certificate is set.</summary>
    public TlsSettings Tls { get; set; } = new();
    /// <summary>The probe listener for Kubernetes (section <c>PeftGrid:Health</c>); off unless a port is set.</summary>
    public HealthSettings Health { get; set; } = new();
}

/// <summary>
/// The silo's probe listener (<see cref="SiloOperations"/>): a listener of its own, separate from the dashboard's web host,
/// that answers only <c>GET /healthz</c> (liveness: the process serves requests) and <c>GET /readyz</c> (readiness: the
/// silo started, is <c>Active</c> in the cluster's membership, and its worker pool runs); every other path is 404, so
/// binding it to all addresses (the kubelet probes the pod IP) exposes nothing of the dashboard. It starts before the silo
/// and stops after it, so liveness holds during start and graceful shutdown while readiness does not. The same two paths
/// are also mapped on the dashboard's web host (loopback). Example: <c>PeftGrid__Health__Port=8081</c>,
/// <c>PeftGrid__Health__Host=0.0.0.0</c> (k8s/base/silo.yaml).
/// </summary>
public sealed class HealthSettings
{
    /// <summary>Port of the probe listener; 0 (default) = no probe listener. The container image sets 8081.</summary>
    public int Port { get; set; }
    /// <summary>Bind address. Default 127.0.0.1; <c>0.0.0.0</c> in Kubernetes (probes come from the kubelet to the pod IP).</summary>
    public string Host { get; set; } = "127.0.0.1";
}

/// <summary>Mutual TLS (<see cref="PeftGrid.Client.ClusterTls"/>): on when <see cref="CertificatePath"/> is set; then every silo
/// and every client must present a certificate issued by <see cref="AuthorityPath"/>'s CA.</summary>
public sealed class TlsSettings
{
    /// <summary>PKCS#12 (.pfx) file with this silo's certificate and private key. Default none (TLS off).</summary>
    public string? CertificatePath { get; set; }
    /// <summary>The .pfx password (prefer <see cref="CertificatePasswordFile"/>). Never printed.</summary>
    public string? CertificatePassword { get; set; }
    /// <summary>File holding the .pfx password (e.g. a mounted Secret).</summary>
    public string? CertificatePasswordFile { get; set; }
    /// <summary>The CA certificate (PEM or DER) every remote certificate must chain to; default the system trust store.</summary>
    public string? AuthorityPath { get; set; }
}
