using System.Net;
using System.Security.Cryptography;
using System.Text;
using PeftGrid.Client;

namespace PeftGrid.Dashboard.Hosting;

/// <summary>
/// Who may act on a dashboard: the token of <see cref="DashboardSettings.Token"/> or <see cref="DashboardSettings.TokenFile"/>
/// (read once, through <see cref="ClusterSecrets"/>, which also keeps it out of redacted output), compared in constant time.
/// <see cref="Resolve"/> is the start-up check every host runs: a non-loopback <see cref="DashboardSettings.Host"/> without a
/// token is refused. The token is never exposed: only <see cref="TokenSource"/> is.
/// </summary>
public sealed class DashboardAccess
{
    private readonly byte[]? token;

    private DashboardAccess(string? token, string source)
    {
        this.token = token is null ? null : SHA256.HashData(Encoding.UTF8.GetBytes(token));
        TokenSource = source;
    }

    /// <summary>Where the token came from: <c>none</c>, <c>setting</c> or <c>file</c>.</summary>
    public string TokenSource { get; }

    /// <summary>True without a token: mutating routes answer 403.</summary>
    public bool ReadOnly => token is null;

    /// <summary>Reads the token and checks the bind address.</summary>
    /// <param name="settings">The dashboard settings.</param>
    /// <exception cref="ArgumentException">A non-loopback host without a token, or both a token and a token file.</exception>
    /// <exception cref="FileNotFoundException">The token file does not exist.</exception>
    /// <exception cref="InvalidDataException">The token file is empty.</exception>
    public static DashboardAccess Resolve(DashboardSettings settings)
    {
        var value = ClusterSecrets.Read(settings.Token, settings.TokenFile, "PeftGrid:Dashboard:Token", "PeftGrid:Dashboard:TokenFile");
        var source = value is null ? "none" : string.IsNullOrWhiteSpace(settings.TokenFile) ? "setting" : "file";
        if (value is null && !IsLoopback(settings.Host))
        {
            throw new ArgumentException(
                $"PeftGrid:Dashboard:Host '{settings.Host}' is not a loopback address and no token is set: set PeftGrid:Dashboard:Token or " +
                "PeftGrid:Dashboard:TokenFile (PeftGrid__Dashboard__TokenFile), or bind 127.0.0.1, ::1 or localhost");
        }
        return new DashboardAccess(value, source);
    }

    /// <summary>True for <c>localhost</c>, 127.0.0.0/8 and ::1.</summary>
    /// <param name="host">A host name or IP address (IPv6 with or without brackets).</param>
    public static bool IsLoopback(string host)
    {
        host = host.Trim().TrimStart('[').TrimEnd(']');
        return host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
               || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));
    }

    /// <summary>True if <paramref name="authorization"/> is <c>Bearer TOKEN</c> with the configured token (constant-time compare).</summary>
    /// <param name="authorization">The <c>Authorization</c> header, or null.</param>
    public bool Allows(string? authorization)
    {
        const string scheme = "Bearer ";
        if (token is null || authorization is null || !authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        // Hashes of equal length, compared in constant time: neither the token's bytes nor its length leak through timing.
        var given = SHA256.HashData(Encoding.UTF8.GetBytes(authorization[scheme.Length..].Trim()));
        return CryptographicOperations.FixedTimeEquals(given, token);
    }
}
