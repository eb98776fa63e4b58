using System.Diagnostics;
using PeftGrid.Client;
using PeftGrid.Integration.Tests.Cli;
using PeftGrid.Integration.Tests.Operations;
using Xunit;

namespace PeftGrid.Integration.Tests.Security;

/// <summary>Mutual TLS (<c>PeftGrid:Tls</c>): two silo processes form one cluster over TLS, a CLI with a certificate of
/// the cluster's CA connects, a plain client and a client of another CA are refused with one line.</summary>
public sealed class TlsTests : IAsyncLifetime
{
    private readonly string clusterId = $"tls-{Guid.NewGuid():N}"[..14];
    private readonly int redisPort = Processes.FreePort();
    private readonly TestCertificates certs = new("cluster");
    private readonly TestCertificates rogue = new("rogue");
    private readonly List<Processes.Silo> silos = [];
    private Process? redis;

    public async Task InitializeAsync()
    {
        redis = await OpsProcesses.StartRedisAsync(redisPort);
        for (var i = 0; i < 2; i++)
        {
            var env = OpsProcesses.SiloEnv(clusterId, Processes.FreePort(), Processes.FreePort());
            env["ConnectionStrings__Redis"] = $"127.0.0.1:{redisPort}";
            env["PeftGrid__Tls__CertificatePath"] = certs.Pfx;
            env["PeftGrid__Tls__CertificatePasswordFile"] = certs.PasswordFile;
            env["PeftGrid__Tls__AuthorityPath"] = certs.Authority;
            silos.Add(new Processes.Silo(env));
        }
        foreach (var s in silos)
        {
            await s.WaitStartedAsync(TimeSpan.FromSeconds(90));
        }
    }

    public Task DisposeAsync()
    {
        silos.ForEach(s => s.Dispose());
        if (redis is { HasExited: false }) { redis.Kill(); }
        redis?.Dispose();
        certs.Dispose();
        rogue.Dispose();
        return Task.CompletedTask;
    }

    private Task<CliProcess.Result> StatusAsync(params string[] extra) => CliProcess.RunAsync(TimeSpan.FromSeconds(90),
        ["sweep", "status", "--redis", $"127.0.0.1:{redisPort}", "--cluster-id", clusterId, "--service-id", clusterId, "--connect-timeout", "8", .. extra]);

    [Fact]
    public async Task TwoSilosAndACliTalkOverMutualTlsAndOtherClientsAreRefused()
    {
        // Silo to silo: both silos are active members, which needs their TLS connections (probes, joins).
        await using (var client = await PeftGridClient.ConnectAsync(new ClusterConnection
        {
            Redis = $"127.0.0.1:{redisPort}", ClusterId = clusterId, ServiceId = clusterId, MaxAttempts = 10, ConnectTimeout = TimeSpan.FromSeconds(30),
            Tls = ClusterTls.Load(certs.Pfx, certs.Password, certs.Authority),
        }))
        {
            var deadline = DateTime.UtcNow.AddSeconds(60);
            int active;
            while ((active = (await client.Cluster.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true)).Count) < 2 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(500);
            }
            Assert.Equal(2, active);
        }

        var secured = await StatusAsync("--tls-cert", certs.Pfx, "--tls-password-file", certs.PasswordFile, "--tls-ca", certs.Authority);
        Assert.True(secured.ExitCode == 0, secured.Stderr);
        Assert.Equal("no sweeps", secured.Stdout.Trim());
        Assert.DoesNotContain(certs.Password, secured.Stdout + secured.Stderr);

        var plain = await StatusAsync();
        OpsProcesses.AssertOneLineFailure(plain);
        Assert.Contains("cannot reach the PeftGrid cluster", plain.Stderr);

        var foreign = await StatusAsync("--tls-cert", rogue.Pfx, "--tls-password-file", rogue.PasswordFile, "--tls-ca", certs.Authority);
        OpsProcesses.AssertOneLineFailure(foreign);

        var badPassword = await StatusAsync("--tls-cert", certs.Pfx, "--tls-password-file", rogue.PasswordFile, "--tls-ca", certs.Authority);
        OpsProcesses.AssertOneLineFailure(badPassword);
        Assert.Contains($"TLS certificate {certs.Pfx}: cannot be read as PKCS#12 (.pfx) with the given password", badPassword.Stderr);
        Assert.DoesNotContain(rogue.Password, badPassword.Stderr);
    }
}
