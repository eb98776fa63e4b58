using System.Diagnostics;
using PeftGrid.Integration.Tests.Cli;
using Xunit;

namespace PeftGrid.Integration.Tests.Operations;

/// <summary><c>PeftGrid:ClusterId</c> per deployment and the CLI's <c>--cluster-id</c>, against a real Redis and a real silo process.</summary>
public sealed class ClusterIdTests : IAsyncLifetime
{
    private readonly string clusterId = $"ops-{Guid.NewGuid():N}"[..14];
    private readonly int redisPort = Processes.FreePort();
    private readonly int gatewayPort = Processes.FreePort();
    private Process? redis;
    private Processes.Silo? silo;

    public async Task InitializeAsync()
    {
        redis = await OpsProcesses.StartRedisAsync(redisPort);
        var env = OpsProcesses.SiloEnv(clusterId, Processes.FreePort(), gatewayPort);
        env["ConnectionStrings__Redis"] = $"127.0.0.1:{redisPort}";
        silo = new Processes.Silo(env);
        await silo.WaitStartedAsync(TimeSpan.FromSeconds(60));
    }

    public Task DisposeAsync()
    {
        silo?.Dispose();
        if (redis is { HasExited: false }) { redis.Kill(); }
        redis?.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task ACliWithTheWrongClusterIdGetsOneLineAndTheRightOneConnects()
    {
        var right = await CliProcess.RunAsync(TimeSpan.FromSeconds(60), "sweep", "status", "--redis", $"127.0.0.1:{redisPort}", "--cluster-id", clusterId, "--service-id", clusterId);
        Assert.True(right.ExitCode == 0, right.Stderr);
        Assert.Equal("no sweeps", right.Stdout.Trim());

        var wrong = await CliProcess.RunAsync(TimeSpan.FromSeconds(60), "sweep", "status", "--redis", $"127.0.0.1:{redisPort}", "--cluster-id", "someone-else", "--service-id", clusterId, "--connect-timeout", "5");
        OpsProcesses.AssertOneLineFailure(wrong);
        Assert.Contains($"cannot reach the PeftGrid cluster via Redis at 127.0.0.1:{redisPort}", wrong.Stderr);

        // Without --cluster-id the default (peftgrid) is not this deployment either.
        var unnamed = await CliProcess.RunAsync(TimeSpan.FromSeconds(60), "sweep", "status", "--redis", $"127.0.0.1:{redisPort}", "--connect-timeout", "5");
        OpsProcesses.AssertOneLineFailure(unnamed);
    }

    [Fact]
    public async Task AGatewayOfAnotherClusterRefusesTheClient()
    {
        var right = await CliProcess.RunAsync(TimeSpan.FromSeconds(60), "sweep", "status", "--gateway-port", gatewayPort.ToString(), "--cluster-id", clusterId, "--service-id", clusterId);
        Assert.True(right.ExitCode == 0, right.Stderr);
        var wrong = await CliProcess.RunAsync(TimeSpan.FromSeconds(60), "sweep", "status", "--gateway-port", gatewayPort.ToString(), "--cluster-id", "someone-else", "--service-id", clusterId, "--connect-timeout", "5");
        OpsProcesses.AssertOneLineFailure(wrong);
        Assert.Contains($"cannot reach the PeftGrid cluster via the localhost gateway 127.0.0.1:{gatewayPort}", wrong.Stderr);
    }
}
