using System.CommandLine;
using PeftGrid.Client;

namespace PeftGrid.Cli.Commands;

/// <summary>
/// The options every cluster command shares: where the cluster is (<c>--redis</c> / <c>--redis-file</c> /
/// <c>$PEFTGRID_REDIS</c> / <c>$PEFTGRID_REDIS_FILE</c>, or <c>--gateway-port</c>), which cluster (<c>--cluster-id</c>,
/// <c>--service-id</c>), mutual TLS (<c>--tls-cert</c>, <c>--tls-password-file</c> / <c>$PEFTGRID_TLS_PASSWORD</c>,
/// <c>--tls-ca</c>), timeouts and <c>--json</c>. Secrets are never printed (<see cref="ClusterSecrets"/>).
/// </summary>
public sealed class SweepConnection
{
    /// <summary>Environment variable with the .pfx password (when <c>--tls-password-file</c> is not given).</summary>
    public const string TlsPasswordVariable = "PEFTGRID_TLS_PASSWORD";

    /// <summary><c>--redis CONN</c>.</summary>
    public Option<string?> Redis { get; } = new("--redis") { Description = $"Redis connection string of a Redis-clustered PeftGrid cluster, e.g. 127.0.0.1:6379 (else ${ClusterSecrets.RedisVariable}); prefer --redis-file when it holds a password" };
    /// <summary><c>--redis-file PATH</c>.</summary>
    public Option<string?> RedisFile { get; } = new("--redis-file") { Description = $"File holding the Redis connection string, e.g. a mounted Secret (else ${ClusterSecrets.RedisFileVariable})" };
    /// <summary><c>--gateway-port N</c>.</summary>
    public Option<int?> GatewayPort { get; } = new("--gateway-port") { Description = "Gateway port of a localhost silo (default 30000)" };
    /// <summary><c>--cluster-id ID</c>.</summary>
    public Option<string> ClusterId { get; } = new("--cluster-id") { Description = "Orleans cluster id of the deployment (silo setting PeftGrid:ClusterId)", DefaultValueFactory = _ => "peftgrid" };
    /// <summary><c>--service-id ID</c>.</summary>
    public Option<string> ServiceId { get; } = new("--service-id") { Description = "Orleans service id of the deployment (silo setting PeftGrid:ServiceId)", DefaultValueFactory = _ => "peftgrid" };
    /// <summary><c>--tls-cert PATH</c>.</summary>
    public Option<string?> TlsCertificate { get; } = new("--tls-cert") { Description = "Client certificate (.pfx) for a cluster with TLS on (silo setting PeftGrid:Tls)" };
    /// <summary><c>--tls-password-file PATH</c>.</summary>
    public Option<string?> TlsPasswordFile { get; } = new("--tls-password-file") { Description = $"File holding the .pfx password (else ${TlsPasswordVariable})" };
    /// <summary><c>--tls-ca PATH</c>.</summary>
    public Option<string?> TlsAuthority { get; } = new("--tls-ca") { Description = "CA certificate (PEM/DER) the silos' certificates must chain to (default the system trust store)" };
    /// <summary><c>--json</c>.</summary>
    public Option<bool> Json { get; } = new("--json") { Description = "Machine-readable JSON output" };
    /// <summary><c>--connect-timeout S</c>.</summary>
    public Option<int> Timeout { get; } = new("--connect-timeout") { Description = "Seconds to try connecting before giving up", DefaultValueFactory = _ => 20 };
    /// <summary><c>--response-timeout S</c>.</summary>
    public Option<int> ResponseTimeout { get; } = new("--response-timeout") { Description = "Seconds a call may wait for the cluster's answer", DefaultValueFactory = _ => 30 };

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public Command AddTo(Command command)
    {
        foreach (var o in new Option[] { Redis, RedisFile, GatewayPort, ClusterId, ServiceId, TlsCertificate, TlsPasswordFile, TlsAuthority, Json, Timeout, ResponseTimeout })
        {
            command.Options.Add(o);
        }
        return command;
    }

    /// <summary>True when the command line names a running cluster (<c>--redis</c>, <c>--redis-file</c> or <c>--gateway-port</c>).</summary>
    public bool NamedOnCommandLine(ParseResult p) =>
        p.GetValue(Redis) is not null || p.GetValue(RedisFile) is not null || p.GetValue(GatewayPort) is not null;

    /// <summary>True when the command line or the environment (<c>$PEFTGRID_REDIS</c>, <c>$PEFTGRID_REDIS_FILE</c>) names a running cluster.</summary>
    public bool Named(ParseResult p) => NamedOnCommandLine(p) ||
        !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(ClusterSecrets.RedisVariable)) ||
        !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(ClusterSecrets.RedisFileVariable));

    /// <summary>The connection the options describe (reads the secret files).</summary>
    /// <exception cref="ArgumentException">Conflicting options (a Redis value and file, <c>--redis</c> with <c>--gateway-port</c>), or a TLS option without <c>--tls-cert</c>.</exception>
    /// <exception cref="FileNotFoundException">A named file does not exist.</exception>
    public ClusterConnection Describe(ParseResult p)
    {
        var redis = p.GetValue(GatewayPort) is null ? ClusterSecrets.Redis(p.GetValue(Redis), p.GetValue(RedisFile)) : null;
        if (p.GetValue(GatewayPort) is not null && (p.GetValue(Redis) ?? p.GetValue(RedisFile)) is not null)
        {
            throw new ArgumentException("--gateway-port cannot be combined with --redis or --redis-file");
        }
        ClusterTls? tls = null;
        if (p.GetValue(TlsCertificate) is { } pfx)
        {
            var password = ClusterSecrets.Read(p.GetValue(TlsPasswordFile) is null ? Environment.GetEnvironmentVariable(TlsPasswordVariable) : null,
                p.GetValue(TlsPasswordFile), TlsPasswordVariable, "--tls-password-file");
            tls = ClusterTls.Load(pfx, password, p.GetValue(TlsAuthority));
        }
        else if ((p.GetValue(TlsAuthority) ?? p.GetValue(TlsPasswordFile)) is not null)
        {
            throw new ArgumentException("--tls-ca and --tls-password-file need --tls-cert (the client's certificate)");
        }
        return new ClusterConnection
        {
            Redis = redis,
            GatewayPort = p.GetValue(GatewayPort) ?? 30000,
            ClusterId = NonEmpty(p.GetValue(ClusterId), "--cluster-id"),
            ServiceId = NonEmpty(p.GetValue(ServiceId), "--service-id"),
            Tls = tls,
            ConnectTimeout = TimeSpan.FromSeconds(Math.Max(1, p.GetValue(Timeout))),
            ResponseTimeout = TimeSpan.FromSeconds(Math.Max(1, p.GetValue(ResponseTimeout))),
        };
    }

    /// <summary>Connects to the named cluster (localhost gateway 30000 if none named).</summary>
    /// <exception cref="InvalidOperationException">Unreachable, after bounded retries.</exception>
    /// <exception cref="ArgumentException">See <see cref="Describe"/>.</exception>
    public Task<PeftGridClient> ConnectAsync(ParseResult p, CancellationToken ct) => PeftGridClient.ConnectAsync(Describe(p), ct);

    private static string NonEmpty(string? value, string option) =>
        string.IsNullOrWhiteSpace(value) ? throw new ArgumentException($"{option} must not be empty") : value.Trim();
}
