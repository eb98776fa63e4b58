using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using PeftGrid.Integration.Tests.Cli;
using Xunit;

namespace PeftGrid.Integration.Tests.Operations;

/// <summary>Helpers of the operations/security tests: a redis-server with extra arguments, a fake-runner silo's environment,
/// and the shape of a CLI failure (one line, non-zero exit, no stack trace).</summary>
public static class OpsProcesses
{
    /// <summary>redis-server on 127.0.0.1:<paramref name="port"/> without persistence, plus <paramref name="extraArgs"/> (e.g. <c>--requirepass X</c>).</summary>
    public static async Task<Process> StartRedisAsync(int port, params string[] extraArgs)
    {
        var psi = new ProcessStartInfo("redis-server") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "--bind", "127.0.0.1", "--port", port.ToString(), "--save", "", "--appendonly", "no" }.Concat(extraArgs))
        {
            psi.ArgumentList.Add(a);
        }
        var p = Process.Start(psi)!;
        p.OutputDataReceived += (_, _) => { };
        p.BeginOutputReadLine();
        for (var deadline = DateTime.UtcNow.AddSeconds(10); DateTime.UtcNow < deadline; await Task.Delay(50))
        {
            try
            {
                using var c = new TcpClient();
                await c.ConnectAsync(IPAddress.Loopback, port);
                return p;
            }
            catch (SocketException)
            {
            }
        }
        p.Kill();
        throw new TimeoutException("redis-server did not start");
    }

    /// <summary>The environment of a fake-runner silo on the given loopback ports, dashboard off, one worker.</summary>
    public static Dictionary<string, string> SiloEnv(string clusterId, int siloPort, int gatewayPort, int cellMilliseconds = 100) => new()
    {
        ["PeftGrid__ClusterId"] = clusterId,
        ["PeftGrid__ServiceId"] = clusterId,
        ["PeftGrid__SiloName"] = $"silo{siloPort}",
        ["PeftGrid__SiloPort"] = siloPort.ToString(),
        ["PeftGrid__GatewayPort"] = gatewayPort.ToString(),
        ["PeftGrid__Runner"] = "fake",
        ["PeftGrid__Fake__CellMilliseconds"] = cellMilliseconds.ToString(),
        ["PeftGrid__Workers__Devices__0"] = "cpu:0",
        ["PeftGrid__Workers__PollMilliseconds"] = "50",
        ["PeftGrid__Dashboard__Enabled"] = "false",
        ["DOTNET_gcServer"] = "0",
    };

    /// <summary>A failed CLI run: exit code ≠ 0, exactly one line on stderr starting <c>peftgrid: error: </c>, no stack frame anywhere.</summary>
    public static void AssertOneLineFailure(CliProcess.Result r)
    {
        Assert.True(r.ExitCode != 0, $"exit 0; stdout: {r.Stdout}");
        Assert.DoesNotContain("   at ", r.Stderr + r.Stdout);
        var lines = r.Stderr.Trim().Split('\n');
        Assert.True(lines.Length == 1, $"{lines.Length} lines on stderr:\n{r.Stderr}");
        Assert.StartsWith("peftgrid: error: ", lines[0]);
    }

    /// <summary>Sends <paramref name="signal"/> (e.g. <c>STOP</c>, <c>CONT</c>) to <paramref name="pid"/>.</summary>
    public static async Task SignalAsync(int pid, string signal)
    {
        using var kill = Process.Start("kill", $"-{signal} {pid}")!;
        await kill.WaitForExitAsync();
    }
}
