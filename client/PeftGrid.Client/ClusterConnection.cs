using StackExchange.Redis;

namespace PeftGrid.Client;

/// <summary>How to reach a PeftGrid cluster: through Redis clustering or a localhost gateway.</summary>
public sealed record ClusterConnection
{
    /// <summary>Redis connection string (e.g. <c>127.0.0.1:6379</c>); null = the localhost gateway at <see cref="GatewayPort"/>.</summary>
    public string? Redis { get; init; }
    /// <summary>Gateway port of a localhost silo (default 30000, the Orleans default).</summary>
    public int GatewayPort { get; init; } = 30000;
    /// <summary>Orleans cluster id (silo setting <c>PeftGrid:ClusterId</c>). Default <c>peftgrid</c>.</summary>
    public string ClusterId { get; init; } = "peftgrid";
    /// <summary>Orleans service id (silo setting <c>PeftGrid:ServiceId</c>). Default <c>peftgrid</c>.</summary>
    public string ServiceId { get; init; } = "peftgrid";
    /// <summary>Connection attempts before giving up (≥ 1). Default 3.</summary>
    public int MaxAttempts { get; init; } = 3;
    /// <summary>Overall connect timeout. Default 20 s.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>How long a call may wait for its answer. Default 30 s (the Orleans default).</summary>
    public TimeSpan ResponseTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Mutual TLS to the gateways (silo setting <c>PeftGrid:Tls</c>); null = plain TCP (the default).</summary>
    public ClusterTls? Tls { get; init; }

    /// <summary>Where this points, without secrets: Redis endpoints only (never the password), or the gateway.</summary>
    public string Describe()
    {
        if (Redis is null)
        {
            return $"the localhost gateway 127.0.0.1:{GatewayPort}";
        }
        try
        {
            return $"Redis at {string.Join(",", ConfigurationOptions.Parse(Redis).EndPoints.Select(e => e.ToString()))}";
        }
        catch (ArgumentException)
        {
            return "Redis (unparsable connection string)";
        }
    }
}
