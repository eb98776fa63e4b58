using System.Diagnostics;
using PeftGrid.Client;
using PeftGrid.Contracts.Grid;
using PeftGrid.Contracts.Trials;
using Xunit.Abstractions;

namespace PeftGrid.Integration.Tests.Faults;

/// <summary>
/// A throwaway real cluster for the fault tests: one redis-server (with or without AOF) and silo processes with the fake
/// runner, all on loopback and fresh ports, each process appending to a per-process run log (<c>start|end|hold</c> lines).
/// </summary>
public sealed class FaultCluster(ITestOutputHelper output, bool appendOnly = false) : IAsyncDisposable
{
    private readonly string runLog = Path.Combine(Path.GetTempPath(), $"peftgrid-faults-{Guid.NewGuid():N}.log");
    private readonly string? aofDir = appendOnly ? Path.Combine(Path.GetTempPath(), $"peftgrid-aof-{Guid.NewGuid():N}") : null;
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private Process? redis;

    /// <summary>Cluster and service id (unique per test).</summary>
    public string ClusterId { get; } = $"ft-{Guid.NewGuid():N}"[..12];
    /// <summary>The Redis port.</summary>
    public int RedisPort { get; } = Processes.FreePort();
    /// <summary>Every silo started, in order.</summary>
    public List<Processes.Silo> Silos { get; } = [];

    /// <summary>Fast failure detection for tests that are not about membership timing.</summary>
    public static readonly IReadOnlyDictionary<string, string> FastMembership = new Dictionary<string, string>
    {
        ["Orleans__ClusterMembership__ProbeTimeout"] = "00:00:01",
        ["Orleans__ClusterMembership__NumMissedProbesLimit"] = "2",
        ["Orleans__ClusterMembership__NumVotesForDeathDeclaration"] = "1",
        ["Orleans__ClusterMembership__IAmAliveTablePublishTimeout"] = "00:00:05",
    };

    public void Log(string line) => output.WriteLine($"[{clock.Elapsed.TotalSeconds,6:F1}s] {line}");

    public async Task StartRedisAsync() => redis = await Processes.StartRedisAsync(RedisPort, aofDir);

    /// <summary>SIGKILLs redis-server and starts it again on the same port: empty without AOF, with its data with AOF.</summary>
    public async Task RestartRedisAsync()
    {
        redis = await Processes.RestartRedisAsync(redis!, RedisPort, aofDir);
        Log($"redis restarted ({(aofDir is null ? "no persistence" : "AOF")})");
    }

    /// <summary>Starts a silo (fresh silo and gateway ports) with the fake runner; <paramref name="extra"/> adds or overrides settings.</summary>
    public Processes.Silo StartSilo(string name, IReadOnlyDictionary<string, string>? extra = null, bool fastMembership = true)
    {
        var env = new Dictionary<string, string>
        {
            ["ConnectionStrings__Redis"] = $"127.0.0.1:{RedisPort}",
            ["PeftGrid__ClusterId"] = ClusterId,
            ["PeftGrid__ServiceId"] = ClusterId,
            ["PeftGrid__SiloName"] = name,
            ["PeftGrid__SiloPort"] = Processes.FreePort().ToString(),
            ["PeftGrid__GatewayPort"] = Processes.FreePort().ToString(),
            ["PeftGrid__Runner"] = "fake",
            ["PeftGrid__Fake__CellMilliseconds"] = "200",
            ["PeftGrid__Fake__RunLogPath"] = runLog,
            ["PeftGrid__Workers__Devices__0"] = "cpu:0",
            ["PeftGrid__Workers__Devices__1"] = "cpu:1",
            ["PeftGrid__Workers__PollMilliseconds"] = "50",
            ["PeftGrid__Dashboard__Enabled"] = "false",
            ["DOTNET_gcServer"] = "0",
        };
        foreach (var (k, v) in (fastMembership ? FastMembership : new Dictionary<string, string>()).Concat(extra ?? new Dictionary<string, string>()))
        {
            env[k] = v;
        }
        var silo = new Processes.Silo(env);
        Silos.Add(silo);
        return silo;
    }

    /// <summary>Starts the silos named and waits until each printed that it started.</summary>
    public async Task<Processes.Silo[]> StartSilosAsync(IReadOnlyDictionary<string, string>? extra, bool fastMembership, params string[] names)
    {
        var started = names.Select(n => StartSilo(n, extra, fastMembership)).ToArray();
        foreach (var s in started)
        {
            await s.WaitStartedAsync(TimeSpan.FromSeconds(90));
        }
        Log($"started {string.Join(", ", names)}");
        return started;
    }

    public Task<PeftGridClient> ConnectAsync() => PeftGridClient.ConnectAsync(new ClusterConnection
    {
        Redis = $"127.0.0.1:{RedisPort}", ClusterId = ClusterId, ServiceId = ClusterId, MaxAttempts = 10,
        ConnectTimeout = TimeSpan.FromSeconds(30), ResponseTimeout = TimeSpan.FromSeconds(5),
    });

    /// <summary>A sweep of <paramref name="cells"/> seeds of one method; the model name is the sweep id (the fake runner runs any).</summary>
    public static SweepRequest Sweep(string id, int cells, int leaseSeconds = 6, int maxAttempts = 5) => new()
    {
        SweepId = id,
        Cells = Enumerable.Range(0, cells).Select(i => new TrialSpec { Task = "sst2", Model = id, Method = "lora-attn", BudgetPercent = 0.5, Seed = i }).ToList(),
        Policy = new FailurePolicy { MaxAttempts = maxAttempts, LeaseSeconds = leaseSeconds },
    };

    /// <summary>Polls the sweep's status until <paramref name="until"/> holds, riding out calls that fail while the cluster recovers.</summary>
    public async Task<SweepStatus> WaitAsync(PeftGridClient client, string id, Func<SweepStatus, bool> until, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        Exception? last = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                var s = await client.GetStatusAsync(id);
                if (until(s))
                {
                    return s;
                }
                last = new Xunit.Sdk.XunitException(s.ToString());
            }
            catch (Exception e)
            {
                last = e;
            }
            await Task.Delay(100);
        }
        throw new Xunit.Sdk.XunitException($"{id} not there in {timeout}; last: {last?.GetBaseException().Message}");
    }

    /// <summary>Union of the per-process run logs.</summary>
    public List<(string Kind, string Cell, int Pid)> Runs() => RunLogFiles()
        .SelectMany(File.ReadAllLines).Select(l => l.Split('\t')).Select(p => p.Length == 4
            ? (p[0], p[1], int.Parse(p[2]))
            : throw new Xunit.Sdk.XunitException($"torn run-log line: {string.Join('\t', p)}")).ToList();

    /// <summary>Finished runs ("end" lines) per cell id.</summary>
    public Dictionary<string, int> Ends() => Runs().Where(r => r.Kind == "end").GroupBy(r => r.Cell).ToDictionary(g => g.Key, g => g.Count());

    /// <summary>The Orleans membership hash in Redis (field → value); empty when the key does not exist.</summary>
    public async Task<Dictionary<string, string>> MembershipAsync()
    {
        var lines = (await Processes.RedisCliAsync(RedisPort, "HGETALL", $"{ClusterId}/members/{ClusterId}")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return Enumerable.Range(0, lines.Length / 2).ToDictionary(i => lines[2 * i], i => lines[2 * i + 1]);
    }

    /// <summary>Rows of the membership table whose status is Active (3).</summary>
    public async Task<int> ActiveRowsAsync() => (await MembershipAsync()).Count(kv => kv.Key != "Version" && kv.Value.Contains("\"Status\":3,", StringComparison.Ordinal));

    /// <summary>
    /// A count on a status record that another helper of issue 8 adds (e.g. <c>SweepStatus.Lost</c>, <c>SweepStatus.Diverged</c>):
    /// read by name so these tests compile before that contract is merged; null while the property does not exist.
    /// </summary>
    public static int? CountOf(object status, string property) => status.GetType().GetProperty(property)?.GetValue(status) as int?;

    /// <summary>Like <see cref="CountOf"/> but fails the test when the property does not exist yet.</summary>
    public static int RequiredCountOf(object status, string property) =>
        CountOf(status, property) ?? throw new Xunit.Sdk.XunitException($"{status.GetType().Name}.{property} does not exist yet (needs another helper's contract)");

    private string[] RunLogFiles() => Directory.GetFiles(Path.GetDirectoryName(runLog)!, Path.GetFileName(runLog) + ".*");

    public async ValueTask DisposeAsync()
    {
        foreach (var s in Silos)
        {
            var watchdog = s.Log.Split('\n').Where(l => l.Contains("membership watchdog", StringComparison.Ordinal)).Take(5);
            Log($"silo pid {s.Process.Id}: {(s.Process.HasExited ? $"exited {s.Process.ExitCode}" : "running")} {string.Join(" | ", watchdog)}");
            s.Dispose();
        }
        if (redis is { HasExited: false })
        {
            redis.Kill();
            await redis.WaitForExitAsync();
        }
        redis?.Dispose();
        foreach (var f in RunLogFiles())
        {
            File.Delete(f);
        }
        if (aofDir is not null && Directory.Exists(aofDir))
        {
            Directory.Delete(aofDir, recursive: true);
        }
    }
}
