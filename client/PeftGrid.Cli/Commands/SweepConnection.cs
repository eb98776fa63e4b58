using System.CommandLine;
using PeftGrid.Client;

namespace PeftGrid.Cli.Commands;

/// <summary>The options every cluster command shares: <c>--redis</c>, <c>--gateway-port</c>, <c>--json</c>.</summary>
public sealed class SweepConnection
{
    /// <summary><c>--redis CONN</c>.</summary>
    public Option<string?> Redis { get; } = new("--redis") { Description = "Redis connection string of a Redis-clustered PeftGrid cluster, e.g. 127.0.0.1:6379" };
    /// <summary><c>--gateway-port N</c>.</summary>
    public Option<int?> GatewayPort { get; } = new("--gateway-port") { Description = "Gateway port of a localhost silo (default 30000)" };
    /// <summary><c>--json</c>.</summary>
    public Option<bool> Json { get; } = new("--json") { Description = "Machine-readable JSON output" };
    /// <summary><c>--connect-timeout S</c>.</summary>
    public Option<int> Timeout { get; } = new("--connect-timeout") { Description = "Seconds to try connecting before giving up", DefaultValueFactory = _ => 20 };

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public Command AddTo(Command command)
    {
        command.Options.Add(Redis);
        command.Options.Add(GatewayPort);
        command.Options.Add(Json);
        command.Options.Add(Timeout);
        return command;
    }

    /// <summary>True when the user named a running cluster.</summary>
    public bool Named(ParseResult p) => p.GetValue(Redis) is not null || p.GetValue(GatewayPort) is not null;

    /// <summary>Connects to the named cluster (localhost gateway 30000 if none named).</summary>
    /// <exception cref="InvalidOperationException">Unreachable, after bounded retries.</exception>
    public Task<PeftGridClient> ConnectAsync(ParseResult p, CancellationToken ct) => PeftGridClient.ConnectAsync(new ClusterConnection
    {
        Redis = p.GetValue(Redis),
        GatewayPort = p.GetValue(GatewayPort) ?? 30000,
        ConnectTimeout = TimeSpan.FromSeconds(Math.Max(1, p.GetValue(Timeout))),
    }, ct);
}
