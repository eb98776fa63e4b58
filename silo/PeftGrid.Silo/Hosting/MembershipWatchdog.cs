using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime;
using StackExchange.Redis;

namespace PeftGrid.Silo.Hosting;

/// <summary>
/// Keeps a Redis-clustered silo's membership row alive when Redis loses its data (a Redis without persistence restarted,
/// <c>FLUSHALL</c>, an evicted key). Orleans 10.4's Redis membership table keeps the whole table in one hash
/// (<c>{ServiceId}/members/{ClusterId}</c>: a <c>Version</c> field and one JSON row per silo) and only creates it when a silo
/// starts; when the hash vanishes, <c>ReadAll</c> throws "the Redis membership table version is missing" on every refresh,
/// <c>UpdateIAmAlive</c> fails with a Lua error, nothing recreates it, clients find no gateway, and a silo that starts later
/// creates a new table at version 0 that the running silos ignore (not newer than their view) until a later version without
/// their rows makes them declare themselves dead. The cluster never re-forms on its own.
/// <para>
/// Every <see cref="Interval"/> this service reads the hash and keeps a copy while the table holds this silo. If the table has
/// no <c>Version</c> field, it writes the copy back with the version one past the copy's (atomically, only if still missing:
/// the first silo to notice restores it, the others find it restored), so every silo sees a newer view that still contains
/// it and the cluster carries on with its live activations. If the table exists but lacks this silo's row, it re-inserts the
/// row from the copy with the version bumped. With no copy to restore from (the table vanished before this silo first saw
/// itself in it) the silo stops with exit code <see cref="LostMembershipExitCode"/> so its supervisor (Kubernetes, systemd)
/// starts it again and it joins afresh. Grain state lost with Redis is not restored here: see the README's section on faults.
/// </para>
/// </summary>
public sealed partial class MembershipWatchdog(
    IOptions<ClusterOptions> cluster, ILocalSiloDetails local, IClusterMembershipService membership, IHostApplicationLifetime lifetime,
    ILogger<MembershipWatchdog> log, WatchdogSettings settings) : BackgroundService
{
    /// <summary>Process exit code of a silo stopped because the membership table lost it and it had nothing to restore
    /// (75, EX_TEMPFAIL: restart me).</summary>
    public const int LostMembershipExitCode = 75;

    private const string VersionField = "Version";

    // Writes the copy back only if the table has no version row (another silo may have restored it first).
    private const string RestoreScript = """
        if redis.call('HEXISTS', KEYS[1], 'Version') == 1 then return 0 end
        redis.call('HSET', KEYS[1], unpack(ARGV))
        return 1
        """;

    // Re-inserts one row, bumping the version, only if the version is still the one read and the row is still missing.
    private const string ReinsertScript = """
        if redis.call('HGET', KEYS[1], 'Version') ~= ARGV[1] or redis.call('HEXISTS', KEYS[1], ARGV[3]) == 1 then return 0 end
        redis.call('HSET', KEYS[1], 'Version', ARGV[2], ARGV[3], ARGV[4])
        return 1
        """;

    private HashEntry[]? copy;

    /// <summary>How often the table is checked.</summary>
    public TimeSpan Interval => settings.Interval;

    /// <summary>The Redis key of the membership table: <c>{ServiceId}/members/{ClusterId}</c> (Orleans.Clustering.Redis 10.4).</summary>
    public static string TableKey(string serviceId, string clusterId) => $"{serviceId}/members/{clusterId}";

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var key = (RedisKey)TableKey(cluster.Value.ServiceId, cluster.Value.ClusterId);
        var me = local.SiloAddress.ToString();
        using var redis = await ConnectionMultiplexer.ConnectAsync(settings.Redis);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await CheckAsync(redis.GetDatabase(), key, me);
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                LogUnreachable(e.GetBaseException().Message);
            }
            try
            {
                // Until the first copy is taken, look often: a table lost before then can only be answered by a restart.
                await Task.Delay(copy is null ? FirstCopyPoll : settings.Interval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private static readonly TimeSpan FirstCopyPoll = TimeSpan.FromMilliseconds(250);

    private async Task CheckAsync(IDatabase db, RedisKey key, string me)
    {
        var status = membership.CurrentSnapshot.GetSiloStatus(local.SiloAddress);
        if (status is SiloStatus.ShuttingDown or SiloStatus.Stopping or SiloStatus.Dead)
        {
            return; // leaving: its row is Orleans' business
        }
        var table = await db.HashGetAllAsync(key);
        var version = table.FirstOrDefault(e => e.Name == VersionField).Value;
        if (!version.IsNull && table.Any(e => e.Name == me))
        {
            if (copy is null)
            {
                LogFirstCopy(key.ToString(), table.Length - 1);
            }
            copy = table;
            return;
        }
        if (status != SiloStatus.Active)
        {
            return; // joining: Orleans writes the row itself
        }
        var saved = copy?.FirstOrDefault(e => e.Name == me).Value ?? RedisValue.Null;
        if (copy is null || saved.IsNull)
        {
            LogNothingToRestore(key.ToString(), LostMembershipExitCode);
            Environment.ExitCode = LostMembershipExitCode;
            lifetime.StopApplication();
            return;
        }
        if (version.IsNull)
        {
            var next = (long)copy.First(e => e.Name == VersionField).Value + 1;
            var args = new List<RedisValue> { VersionField, next };
            foreach (var e in copy.Where(e => e.Name != VersionField))
            {
                args.Add(e.Name);
                args.Add(e.Value);
            }
            if ((int)await db.ScriptEvaluateAsync(RestoreScript, [key], [.. args]) == 1)
            {
                LogRestored(key.ToString(), copy.Length - 1, next);
            }
            return;
        }
        if ((int)await db.ScriptEvaluateAsync(ReinsertScript, [key], [version, (long)version + 1, me, saved]) == 1)
        {
            LogReinserted(key.ToString(), me, (long)version + 1);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "membership watchdog: first copy of the membership table {Key} taken ({Silos} silo rows); a lost row can be restored from now on")]
    private partial void LogFirstCopy(string key, int silos);

    [LoggerMessage(Level = LogLevel.Warning, Message = "membership watchdog: cannot read the membership table: {Reason}")]
    private partial void LogUnreachable(string reason);

    [LoggerMessage(Level = LogLevel.Critical, Message = "membership watchdog: the membership table {Key} lost this silo and it has no copy to restore; stopping with exit code {Code} so the supervisor restarts it")]
    private partial void LogNothingToRestore(string key, int code);

    [LoggerMessage(Level = LogLevel.Warning, Message = "membership watchdog: the membership table {Key} vanished from Redis (restarted without persistence?); restored {Silos} silo rows at version {Version}")]
    private partial void LogRestored(string key, int silos, long version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "membership watchdog: the membership table {Key} lost this silo's row {Silo}; re-inserted it at version {Version}")]
    private partial void LogReinserted(string key, string silo, long version);
}

/// <summary>Settings of <see cref="MembershipWatchdog"/>.</summary>
/// <param name="Redis">Redis options (the silo's connection string, <see cref="SiloHost.RedisOptions"/>).</param>
/// <param name="Interval">Check period; configuration <c>PeftGrid:MembershipWatchdogSeconds</c>, default 5 s.</param>
public sealed record WatchdogSettings(ConfigurationOptions Redis, TimeSpan Interval);

/// <summary>PeftGrid's cluster membership: default timing (<see cref="MembershipDefaults"/>) and the Redis membership watchdog.</summary>
public static class MembershipRegistration
{
    /// <summary>
    /// PeftGrid's defaults for <see cref="ClusterMembershipOptions"/>, applied unless <c>Orleans:ClusterMembership</c> sets them:
    /// a silo writes its I-am-alive every 10 s (Orleans: 30 s) and one silent for 3 periods (30 s; Orleans: 2 × 30 s) is stale,
    /// so the rows of silos that were all killed stop blocking a restarted cluster's join after ≤ 30 s. The README states the
    /// resulting re-formation bound.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> MembershipDefaults = new Dictionary<string, string>
    {
        [nameof(ClusterMembershipOptions.IAmAliveTablePublishTimeout)] = "00:00:10",
        [nameof(ClusterMembershipOptions.NumMissedTableIAmAliveLimit)] = "3",
    };

    /// <summary>Adds the membership defaults and, with Redis clustering, the <see cref="MembershipWatchdog"/>.</summary>
    /// <param name="services">The silo's services.</param>
    /// <param name="config">The silo's configuration (reads <c>Orleans:ClusterMembership</c> and <c>PeftGrid:MembershipWatchdogSeconds</c>).</param>
    /// <param name="redis">The Redis connection string, or null for localhost clustering (no watchdog).</param>
    /// <exception cref="ArgumentException"><c>PeftGrid:MembershipWatchdogSeconds</c> is not a number in [0.1, 600].</exception>
    public static IServiceCollection AddPeftGridMembership(this IServiceCollection services, IConfiguration config, string? redis)
    {
        var section = config.GetSection("Orleans:ClusterMembership");
        var defaults = new ConfigurationBuilder().AddInMemoryCollection(MembershipDefaults
            .Where(d => section[d.Key] is null).Select(d => KeyValuePair.Create(d.Key, (string?)d.Value))).Build();
        services.Configure<ClusterMembershipOptions>(o => defaults.Bind(o));
        if (redis is null)
        {
            return services;
        }
        var seconds = config.GetValue("PeftGrid:MembershipWatchdogSeconds", 5.0);
        if (!(seconds is >= 0.1 and <= 600))
        {
            throw new ArgumentException($"PeftGrid:MembershipWatchdogSeconds must be between 0.1 and 600 seconds, got {seconds}");
        }
        services.AddSingleton(new WatchdogSettings(SiloHost.RedisOptions(redis), TimeSpan.FromSeconds(seconds)));
        return services.AddHostedService<MembershipWatchdog>();
    }
}
