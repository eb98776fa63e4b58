using System.Diagnostics;
using System.Net;
using PeftGrid.Dashboard.Tests.Api;
using PeftGrid.Grains.Runners;
using Xunit;

namespace PeftGrid.Dashboard.Tests.Hosting;

/// <summary><c>peftgrid dashboard</c> as a user runs it: the built CLI as a process against a silo's gateway.</summary>
public class DashboardProcessTests
{
    [Fact]
    public async Task TheDashboardCommandServesTheClusterWithoutLoadingTorchAndStopsOnSigterm()
    {
        await using var silo = await ApiSilo.StartAsync(new FakeRunnerOptions { CellMilliseconds = 10 });
        var id = await silo.SubmitAsync("proc", ["lora-attn"], [0.5], [1, 2, 3]);
        await silo.WaitCompleteAsync(id);

        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "peftgrid.dll"), "dashboard", "--gateway-port", silo.GatewayPort.ToString(), "--port", "0" })
        {
            psi.ArgumentList.Add(a);
        }
        psi.Environment.Remove("PEFTGRID_REDIS");
        psi.Environment.Remove("PEFTGRID_REDIS_FILE");
        psi.Environment["PeftGrid__Dashboard__Token"] = "process-token-value";
        using var process = Process.Start(psi)!;
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            var line = await ReadUntilAsync(process.StandardOutput, "dashboard: ", TimeSpan.FromSeconds(60))
                       ?? throw new Xunit.Sdk.XunitException($"no URL printed; stderr: {await stderr}");
            var url = line["dashboard: ".Length..].Split(' ')[0];
            Assert.Matches(@"^http://127\.0\.0\.1:\d+/peftgrid/$", url);
            using var http = new HttpClient { BaseAddress = new Uri(url) };
            var sweep = await http.GetStringAsync($"api/sweeps/{id}");
            Assert.Contains("\"succeeded\": 3", sweep);
            var status = await http.GetStringAsync("/status");
            Assert.Contains("\"tokenSource\": \"setting\"", status);
            Assert.DoesNotContain("process-token-value", status);

            var maps = await File.ReadAllTextAsync($"/proc/{process.Id}/maps");
            Assert.Contains("PeftGrid.Dashboard.dll", maps); // the right process, with its assemblies mapped
            Assert.DoesNotContain("libtorch", maps);
            Assert.DoesNotContain("TorchSharp.dll", maps);

            using (Process.Start("kill", ["-TERM", process.Id.ToString()])) { }
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await process.WaitForExitAsync(cts.Token);
            Assert.Equal(0, process.ExitCode);
            Assert.DoesNotContain("process-token-value", await stderr);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    [Fact]
    public async Task TheDashboardCommandRefusesANonLoopbackHostWithoutAToken()
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "peftgrid.dll"), "dashboard", "--gateway-port", "1", "--host", "0.0.0.0" })
        {
            psi.ArgumentList.Add(a);
        }
        psi.Environment.Remove("PeftGrid__Dashboard__Token");
        psi.Environment.Remove("PeftGrid__Dashboard__TokenFile");
        using var process = Process.Start(psi)!;
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(cts.Token);
        Assert.Equal(1, process.ExitCode);
        Assert.Equal("peftgrid: error: PeftGrid:Dashboard:Host '0.0.0.0' is not a loopback address and no token is set: set PeftGrid:Dashboard:Token or " +
                     "PeftGrid:Dashboard:TokenFile (PeftGrid__Dashboard__TokenFile), or bind 127.0.0.1, ::1 or localhost", (await stderr).Trim());
    }

    private static async Task<string?> ReadUntilAsync(StreamReader reader, string prefix, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (await reader.ReadLineAsync(cts.Token) is { } line)
            {
                if (line.StartsWith(prefix, StringComparison.Ordinal))
                {
                    return line;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        return null;
    }
}
