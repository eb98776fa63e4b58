using System.Net;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using PeftGrid.Client.Grids;
using PeftGrid.Contracts.Grid;
using PeftGrid.Contracts.Trials;
using StackExchange.Redis;

namespace PeftGrid.Client;

/// <summary>The typed client of a PeftGrid cluster: submit grids, follow progress, cancel, read results and leaderboards.</summary>
public sealed class PeftGridClient : IAsyncDisposable
{
    private readonly IHost? host;

    private PeftGridClient(IClusterClient cluster, IHost? host)
    {
        Cluster = cluster;
        this.host = host;
    }

    /// <summary>The underlying Orleans client.</summary>
    public IClusterClient Cluster { get; }

    private ISchedulerGrain Scheduler => Cluster.GetGrain<ISchedulerGrain>(GrainKeys.Scheduler);

    /// <summary>Wraps an existing client (e.g. an embedded silo's); disposing the wrapper leaves it running.</summary>
    public static PeftGridClient FromClusterClient(IClusterClient cluster) => new(cluster, null);

    /// <summary>Connects to a cluster, retrying up to <see cref="ClusterConnection.MaxAttempts"/> times within <see cref="ClusterConnection.ConnectTimeout"/>.</summary>
    /// <exception cref="InvalidOperationException">The cluster could not be reached; the message says where and why (no secrets).</exception>
    public static async Task<PeftGridClient> ConnectAsync(ClusterConnection connection, CancellationToken cancellationToken = default)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        var attempts = 0;
        Exception? last = null;
        builder.UseOrleansClient(client =>
        {
            if (connection.Redis is { } redis)
            {
                ClusterSecrets.RegisterRedis(redis);
                client.UseRedisClustering(o =>
                {
                    o.ConfigurationOptions = ConfigurationOptions.Parse(redis);
                    o.ConfigurationOptions.AbortOnConnectFail = true;
                    o.ConfigurationOptions.ConnectTimeout = 2000;
                    o.ConfigurationOptions.ConnectRetry = 1;
                });
            }
            else
            {
                client.UseStaticClustering(new IPEndPoint(IPAddress.Loopback, connection.GatewayPort));
            }
            if (connection.Tls is { } tls)
            {
                client.UseTls(tls.Certificate, tls.Apply);
            }
            client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = connection.ResponseTimeout);
            client.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (connection.ClusterId, connection.ServiceId));
            client.UseConnectionRetryFilter(async (e, ct) =>
            {
                last = e;
                if (++attempts >= connection.MaxAttempts)
                {
                    return false;
                }
                await Task.Delay(TimeSpan.FromMilliseconds(500), ct);
                return true;
            });
        });
        var built = builder.Build();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(connection.ConnectTimeout);
        try
        {
            await built.StartAsync(timeout.Token);
            return new PeftGridClient(built.Services.GetRequiredService<IClusterClient>(), built);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            built.Dispose();
            var cause = ClusterSecrets.Redact((last ?? e).GetBaseException().Message.ReplaceLineEndings(" "));
            throw new InvalidOperationException(
                $"cannot reach the PeftGrid cluster via {connection.Describe()} after {Math.Max(1, attempts)} attempt(s) " +
                $"(timeout {connection.ConnectTimeout.TotalSeconds:0} s): {cause}", e);
        }
    }

    /// <summary>Expands (<see cref="GridParser.Expand"/>) and submits a grid.</summary>
    /// <param name="grid">The grid.</param>
    /// <param name="dataRoot">The data root whose split files identify the cells' data (<see cref="TrialSpec.Data"/>); null = no data
    /// identity (cell ids as before issue 8, workers do not check their data).</param>
    /// <exception cref="FileNotFoundException">A task's split file is missing under <paramref name="dataRoot"/>.</exception>
    public async Task<(SubmitResult Result, GridExpansion Expansion)> SubmitGridAsync(GridDefinition grid, string? dataRoot = null)
    {
        var expansion = GridParser.Expand(grid, dataRoot);
        return (await SubmitAsync(expansion.Request), expansion);
    }

    /// <summary>Submits a sweep.</summary>
    public Task<SubmitResult> SubmitAsync(SweepRequest request) => Scheduler.SubmitAsync(request);

    /// <summary>A sweep's status.</summary>
    /// <exception cref="ArgumentException">Unknown sweep.</exception>
    public Task<SweepStatus> GetStatusAsync(string sweepId) => Scheduler.GetStatusAsync(sweepId);

    /// <summary>A sweep's cells.</summary>
    public Task<IReadOnlyList<CellInfo>> GetCellsAsync(string sweepId) => Scheduler.GetCellsAsync(sweepId);

    /// <summary>Cancels a sweep.</summary>
    /// <exception cref="ArgumentException">Unknown sweep.</exception>
    public Task<SweepStatus> CancelAsync(string sweepId) => Scheduler.CancelAsync(sweepId);

    /// <summary>Reruns a sweep's Failed and/or Diverged cells (neither flag = both) as a new run of each; the earlier runs'
    /// results stay in the cells' experiment history, and the new run's leaderboard entry replaces the old one
    /// (<see cref="ISchedulerGrain.RetryAsync"/>).</summary>
    /// <exception cref="ArgumentException">Unknown sweep.</exception>
    public Task<RetryResult> RetryAsync(string sweepId, RetryRequest request) => Scheduler.RetryAsync(sweepId, request);

    /// <summary>Every sweep id.</summary>
    public Task<IReadOnlyList<string>> ListSweepsAsync() => Scheduler.ListSweepsAsync();

    /// <summary>The accepted results of a sweep's finished cells (from their experiment grains).</summary>
    public async Task<IReadOnlyList<TrialResult>> GetResultsAsync(string sweepId)
    {
        var cells = await GetCellsAsync(sweepId);
        var snaps = await Task.WhenAll(cells.Select(c => Cluster.GetGrain<IExperimentGrain>(c.CellId).GetAsync()));
        return snaps.Where(s => s.Result is not null).Select(s => s.Result!).ToList();
    }

    /// <summary>Status every <paramref name="interval"/> until the sweep is complete or <paramref name="until"/> holds (the last status included).</summary>
    /// <param name="sweepId">The sweep.</param>
    /// <param name="interval">Time between polls.</param>
    /// <param name="cancellationToken">Stops watching.</param>
    /// <param name="until">Also stop when this holds, e.g. <c>s =&gt; s.IsStalled</c>; null = only on completion.</param>
    public async IAsyncEnumerable<SweepStatus> WatchAsync(string sweepId, TimeSpan interval,
        [EnumeratorCancellation] CancellationToken cancellationToken = default, Func<SweepStatus, bool>? until = null)
    {
        while (true)
        {
            var status = await GetStatusAsync(sweepId);
            yield return status;
            if (status.IsComplete || until?.Invoke(status) == true)
            {
                yield break;
            }
            await Task.Delay(interval, cancellationToken);
        }
    }

    /// <summary>The leaderboards of a task: of one model, or of every model with cells of that task.</summary>
    public async Task<IReadOnlyList<LeaderboardView>> GetLeaderboardsAsync(string task, string? model = null)
    {
        var keys = model is not null
            ? [GrainKeys.Leaderboard(task, model)]
            : (await Scheduler.ListBoardsAsync()).Where(k => k.StartsWith(task.Trim().ToLowerInvariant() + "|", StringComparison.Ordinal)).ToList();
        return await Task.WhenAll(keys.Select(k => Cluster.GetGrain<ILeaderboardGrain>(k).GetAsync()));
    }

    /// <summary>The leaderboard of one board key (<c>task|model</c>).</summary>
    public Task<LeaderboardView> GetLeaderboardAsync(string boardKey) => Cluster.GetGrain<ILeaderboardGrain>(boardKey).GetAsync();

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (host is not null)
        {
            try
            {
                await host.StopAsync(TimeSpan.FromSeconds(5));
            }
            finally
            {
                host.Dispose();
            }
        }
    }
}
