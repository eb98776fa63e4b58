namespace PeftGrid.Dashboard;

/// <summary>
/// Where the dashboards listen and who may act (configuration section <c>PeftGrid:Dashboard</c>, e.g.
/// <c>PeftGrid__Dashboard__Token</c>). One web host serves the PeftGrid dashboard under <see cref="PathBase"/> and, on a silo,
/// the Orleans dashboard. Without a token the PeftGrid dashboard is read-only; binding a non-loopback <see cref="Host"/>
/// without one is refused at start.
/// </summary>
public sealed class DashboardSettings
{
    /// <summary>Serve the dashboards. Default true for the silo process, false for embedded clusters.</summary>
    public bool Enabled { get; set; } = true;
    /// <summary>Bind address. Default 127.0.0.1 (never exposed unless changed).</summary>
    public string Host { get; set; } = "127.0.0.1";
    /// <summary>Port. Default 8080.</summary>
    public int Port { get; set; } = 8080;
    /// <summary><c>Host</c> header values the dashboard answers (ASP.NET Core host filtering; <c>*.example.org</c> wildcards allowed);
    /// any other gets 400, which defeats DNS rebinding. Empty (default) = <see cref="LoopbackHosts"/>.</summary>
    public List<string> AllowedHosts { get; set; } = [];
    /// <summary>The token that allows mutating actions (cancel, rerun failed), sent as <c>Authorization: Bearer TOKEN</c>. Prefer
    /// <see cref="TokenFile"/>. Never printed, logged or shown in <c>/status</c>.</summary>
    public string? Token { get; set; }
    /// <summary>File holding the token (e.g. a mounted Secret); trailing whitespace is trimmed.</summary>
    public string? TokenFile { get; set; }
    /// <summary>Path the PeftGrid dashboard is served under. Default <c>/peftgrid</c>.</summary>
    public string PathBase { get; set; } = "/peftgrid";

    /// <summary>The default allowed hosts: loopback names only.</summary>
    public static IReadOnlyList<string> LoopbackHosts { get; } = ["localhost", "127.0.0.1", "[::1]"];
}
