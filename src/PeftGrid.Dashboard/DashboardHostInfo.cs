namespace PeftGrid.Dashboard;

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
