using System.CommandLine;

namespace PeftGrid.Cli.Commands;

/// <summary><c>peftgrid dashboard --redis CONN | --gateway-port P [--port N]</c>: the web dashboard against a running cluster, from
/// the client side (no TorchSharp is loaded).</summary>
public static class DashboardCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var c = new Command("dashboard", "Serve the web dashboard of a running cluster on 127.0.0.1");
        // issue 11: api helper fills this in.
        return c;
    }
}
