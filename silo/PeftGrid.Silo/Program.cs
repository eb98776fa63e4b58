using Microsoft.Extensions.Hosting;
using PeftGrid.Client;
using PeftGrid.Silo.Hosting;

namespace PeftGrid.Silo;

/// <summary>The PeftGrid silo process. Configuration: see <see cref="SiloSettings"/> and <see cref="SiloHost"/>.</summary>
public static class Program
{
    /// <summary>Runs the silo until SIGTERM/Ctrl-C. Exit code 1 with a one-line reason if it cannot start; exit code
    /// <see cref="MembershipWatchdog.LostMembershipExitCode"/> when the membership table lost it (restart it).</summary>
    public static async Task<int> Main(string[] args)
    {
        IHost host;
        try
        {
            host = SiloHost.Build(args);
            await host.StartAsync();
        }
        catch (Exception e)
        {
            await Console.Error.WriteLineAsync($"peftgrid-silo: error: {ClusterSecrets.Redact(e.GetBaseException().Message.ReplaceLineEndings(" "))}");
            return 1;
        }
        await Console.Out.WriteLineAsync("peftgrid-silo: started");
        await host.WaitForShutdownAsync();
        host.Dispose();
        return Environment.ExitCode;
    }
}
