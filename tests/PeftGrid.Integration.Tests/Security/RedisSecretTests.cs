using System.Diagnostics;
using PeftGrid.Integration.Tests.Cli;
using PeftGrid.Integration.Tests.Operations;
using Xunit;

namespace PeftGrid.Integration.Tests.Security;

/// <summary>A password-protected Redis (<c>--requirepass</c>): the connection string comes from a file or an environment
/// variable, on the silo and the CLI, and the password never appears in any process output, also when it is wrong.</summary>
public sealed class RedisSecretTests : IAsyncLifetime
{
    private readonly string clusterId = $"sec-{Guid.NewGuid():N}"[..14];
    private readonly string password = $"pw{Guid.NewGuid():N}";
    private readonly string wrong = $"wrong{Guid.NewGuid():N}";
    private readonly int redisPort = Processes.FreePort();
    private readonly List<string> files = [];
    private Process? redis;

    public async Task InitializeAsync() => redis = await OpsProcesses.StartRedisAsync(redisPort, "--requirepass", password);

    public Task DisposeAsync()
    {
        if (redis is { HasExited: false }) { redis.Kill(); }
        redis?.Dispose();
        files.ForEach(File.Delete);
        return Task.CompletedTask;
    }

    private string SecretFile(string pw)
    {
        var path = Path.Combine(Path.GetTempPath(), $"peftgrid-redis-{Guid.NewGuid():N}");
        File.WriteAllText(path, $"127.0.0.1:{redisPort},password={pw}\n"); // with the trailing newline of a hand-written Secret
        files.Add(path);
        return path;
    }

    private Processes.Silo Silo(string secretFile)
    {
        var env = OpsProcesses.SiloEnv(clusterId, Processes.FreePort(), Processes.FreePort());
        env["PEFTGRID_REDIS_FILE"] = secretFile;
        return new Processes.Silo(env);
    }

    private Task<CliProcess.Result> StatusAsync(Dictionary<string, string> env, params string[] extra) =>
        CliProcess.RunAsync(env, TimeSpan.FromSeconds(60), ["sweep", "status", "--cluster-id", clusterId, "--service-id", clusterId, "--connect-timeout", "5", .. extra]);

    [Fact]
    public async Task ThePasswordComesFromAFileOrTheEnvironmentAndIsNeverPrinted()
    {
        var good = SecretFile(password);
        using var silo = Silo(good);
        await silo.WaitStartedAsync(TimeSpan.FromSeconds(60));

        var byFlag = await StatusAsync([], "--redis-file", good);
        var byFileVariable = await StatusAsync(new() { ["PEFTGRID_REDIS_FILE"] = good });
        var byVariable = await StatusAsync(new() { ["PEFTGRID_REDIS"] = $"127.0.0.1:{redisPort},password={password}" });
        foreach (var r in new[] { byFlag, byFileVariable, byVariable })
        {
            Assert.True(r.ExitCode == 0, r.Stderr);
            Assert.Equal("no sweeps", r.Stdout.Trim());
            Assert.DoesNotContain(password, r.Stdout + r.Stderr);
        }

        // A wrong password: the CLI fails in one line naming the endpoint, and prints neither password.
        var bad = SecretFile(wrong);
        var refused = await StatusAsync([], "--redis-file", bad);
        OpsProcesses.AssertOneLineFailure(refused);
        Assert.Contains($"127.0.0.1:{redisPort}", refused.Stderr);
        Assert.DoesNotContain(wrong, refused.Stderr + refused.Stdout);

        // A silo with the wrong password does not start, says why in one line, and prints no password either.
        using var badSilo = Silo(bad);
        await badSilo.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(90));
        Assert.Equal(1, badSilo.Process.ExitCode);
        Assert.Contains("peftgrid-silo: error: ", badSilo.Log);
        Assert.DoesNotContain(wrong, badSilo.Log);
        Assert.DoesNotContain(password, badSilo.Log);

        await silo.StopAsync(TimeSpan.FromSeconds(30));
        Assert.Contains("peftgrid-silo: started", silo.Log);
        Assert.DoesNotContain(password, silo.Log);
    }

    [Fact]
    public async Task AValueAndAFileTogetherAreAOneLineError()
    {
        var r = await StatusAsync([], "--redis", $"127.0.0.1:{redisPort}", "--redis-file", SecretFile(password));
        OpsProcesses.AssertOneLineFailure(r);
        Assert.Contains("--redis and --redis-file are both set: give only one", r.Stderr);
        var missing = await StatusAsync([], "--redis-file", "/nonexistent/redis-secret");
        OpsProcesses.AssertOneLineFailure(missing);
        Assert.Contains("--redis-file: file not found: /nonexistent/redis-secret", missing.Stderr);
    }
}
