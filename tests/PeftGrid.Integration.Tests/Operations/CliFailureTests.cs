using PeftGrid.Integration.Tests.Cli;
using Xunit;

namespace PeftGrid.Integration.Tests.Operations;

/// <summary>Every CLI failure is one line on stderr and a non-zero exit, never a stack trace: no silo at the gateway,
/// and a silo that stops answering (SIGSTOP) in the middle of a command.</summary>
public sealed class CliFailureTests
{
    [Fact]
    public async Task NothingListeningAtTheGatewayIsOneLine()
    {
        var port = Processes.FreePort();
        var r = await CliProcess.RunAsync(TimeSpan.FromSeconds(60), "sweep", "status", "--gateway-port", port.ToString(), "--connect-timeout", "3");
        OpsProcesses.AssertOneLineFailure(r);
        Assert.Contains($"cannot reach the PeftGrid cluster via the localhost gateway 127.0.0.1:{port}", r.Stderr);
    }

    [Fact]
    public async Task ASiloStoppedMidCommandIsOneLineAfterTheResponseTimeout()
    {
        var gateway = Processes.FreePort();
        using var silo = new Processes.Silo(OpsProcesses.SiloEnv("ops-stop", Processes.FreePort(), gateway, cellMilliseconds: 60_000));
        await silo.WaitStartedAsync(TimeSpan.FromSeconds(60));
        var grid = Path.Combine(Path.GetTempPath(), $"peftgrid-stop-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(grid, """{ "name": "stop", "tasks": ["sst2"], "models": ["minilm"], "methods": ["lora-attn"], "budgets": [0.5], "seeds": [1, 2] }""");
        var outDir = Path.Combine(Path.GetTempPath(), $"peftgrid-stop-{Guid.NewGuid():N}");
        try
        {
            // sweep run follows the sweep (cells take a minute each); --json keeps progress off stderr.
            var run = CliProcess.RunAsync(TimeSpan.FromSeconds(90), "sweep", "run", "--grid", grid, "--gateway-port", gateway.ToString(),
                "--cluster-id", "ops-stop", "--service-id", "ops-stop", "--response-timeout", "3", "--json", "--out", outDir);
            // Wait until the sweep is on the cluster (the command is past connecting and submitting), then freeze the silo.
            for (var deadline = DateTime.UtcNow.AddSeconds(60); ; await Task.Delay(200))
            {
                var status = await CliProcess.RunAsync(TimeSpan.FromSeconds(30), "sweep", "status", "--gateway-port", gateway.ToString(),
                    "--cluster-id", "ops-stop", "--service-id", "ops-stop");
                if (status.ExitCode == 0 && status.Stdout.Contains("running 1", StringComparison.Ordinal))
                {
                    break;
                }
                Assert.True(DateTime.UtcNow < deadline && !run.IsCompleted, $"sweep not running: {status.Stdout}{status.Stderr}");
            }
            await OpsProcesses.SignalAsync(silo.Process.Id, "STOP");
            var r = await run;
            OpsProcesses.AssertOneLineFailure(r);
            Assert.Contains("the cluster did not answer in time", r.Stderr);
        }
        finally
        {
            await OpsProcesses.SignalAsync(silo.Process.Id, "CONT");
            File.Delete(grid);
        }
    }
}
