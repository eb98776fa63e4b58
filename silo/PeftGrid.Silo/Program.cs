using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PeftGrid.Client;
using PeftGrid.Models.Runtime;
using PeftGrid.Silo.Hosting;

namespace PeftGrid.Silo;

/// <summary>The PeftGrid silo process. Configuration: see <see cref="SiloSettings"/> and <see cref="SiloHost"/>.</summary>
public static class Program
{
    /// <summary>Runs the silo until SIGTERM/Ctrl-C. Exit code 1 with a one-line reason if it cannot start; exit code
    /// <see cref="MembershipWatchdog.LostMembershipExitCode"/> when the membership table lost it (restart it). With
    /// <c>PeftGrid:Health:Port</c> set, the probe listener (<see cref="SiloOperations.StartProbeListenerAsync"/>) runs from
    /// before the silo starts until after it stopped.</summary>
    public static async Task<int> Main(string[] args)
    {
        IHost host;
        WebApplication? probes = null;
        try
        {
            host = SiloHost.Build(args);
            var health = host.Services.GetRequiredService<IConfiguration>().GetSection($"{SiloSettings.Section}:Health").Get<HealthSettings>();
            var settings = host.Services.GetRequiredService<IConfiguration>();
            if (settings[$"{SiloSettings.Section}:Runner"] is null or "torch")
            {
                // Before any trial's first GEMM: MKL's CPU dispatch (TorchRuntime); the summary and each slow-path warning go to the log.
                var runtime = TorchRuntime.Initialize();
                await Console.Out.WriteLineAsync($"peftgrid-silo: torch runtime: {runtime.Summary}");
                foreach (var warning in runtime.Warnings) await Console.Error.WriteLineAsync($"peftgrid-silo: warning: {warning}");
            }
            probes = await SiloOperations.StartProbeListenerAsync(host.Services, health ?? new HealthSettings());
            await host.StartAsync();
        }
        catch (Exception e)
        {
            if (probes is not null)
            {
                await probes.DisposeAsync();
            }
            await Console.Error.WriteLineAsync($"peftgrid-silo: error: {ClusterSecrets.Redact(e.GetBaseException().Message.ReplaceLineEndings(" "))}");
            return 1;
        }
        await Console.Out.WriteLineAsync("peftgrid-silo: started");
        await host.WaitForShutdownAsync();
        if (probes is not null)
        {
            await probes.StopAsync();
            await probes.DisposeAsync();
        }
        host.Dispose();
        return Environment.ExitCode;
    }
}
