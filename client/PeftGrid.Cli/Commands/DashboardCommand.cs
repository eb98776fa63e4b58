using System.CommandLine;
using Microsoft.Extensions.Configuration;
using PeftGrid.Client;
using PeftGrid.Dashboard;
using PeftGrid.Dashboard.Hosting;

namespace PeftGrid.Cli.Commands;

/// <summary><c>peftgrid dashboard --redis CONN | --redis-file F | --gateway-port P [--port N] [--host H] [--token-file F]</c>: the web
/// dashboard against a running cluster, from the client side (no TorchSharp is loaded). Settings not on the command line come from
/// <c>PeftGrid:Dashboard</c> in the environment (<c>PeftGrid__Dashboard__Token</c>, <c>PeftGrid__Dashboard__TokenFile</c>).</summary>
public static class DashboardCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var c = new Command("dashboard", "Serve the web dashboard of a running cluster on 127.0.0.1");
        var port = new Option<int?>("--port") { Description = "Port to listen on (default 8080; 0 = any free port)" };
        var host = new Option<string?>("--host") { Description = "Address to bind (default 127.0.0.1); a non-loopback one needs a token" };
        var tokenFile = new Option<string?>("--token-file") { Description = "File holding the token that allows cancel and rerun (else PeftGrid__Dashboard__Token[File]; none = read-only)" };
        var conn = new SweepConnection();
        c.Options.Add(port);
        c.Options.Add(host);
        c.Options.Add(tokenFile);
        conn.AddTo(c);
        c.SetAction((p, ct) => CliErrors.Guard(async () =>
        {
            var settings = new ConfigurationBuilder().AddEnvironmentVariables().Build()
                .GetSection("PeftGrid:Dashboard").Get<DashboardSettings>() ?? new DashboardSettings();
            settings.Port = p.GetValue(port) ?? settings.Port;
            settings.Host = p.GetValue(host) ?? settings.Host;
            if (p.GetValue(tokenFile) is { } file)
            {
                (settings.Token, settings.TokenFile) = (null, file);
            }
            DashboardAccess.Resolve(settings); // the start-up check, before connecting
            var connection = conn.Describe(p);
            await using var client = await PeftGridClient.ConnectAsync(connection, ct);
            await using var app = ClientDashboard.Build(settings, connection, client.Cluster);
            await app.StartAsync(ct);
            Console.WriteLine($"dashboard: {ClientDashboard.Url(app, settings)}  (cluster: {connection.Describe()}; Ctrl-C stops)");
            try
            {
                using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct, app.Lifetime.ApplicationStopping);
                await Task.Delay(Timeout.Infinite, stop.Token);
            }
            catch (OperationCanceledException)
            {
                // Ctrl-C / SIGTERM
            }
            await app.StopAsync(CancellationToken.None);
            return 0;
        }));
        return c;
    }
}
