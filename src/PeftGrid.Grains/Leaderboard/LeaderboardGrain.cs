using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using PeftGrid.Contracts.Grid;
using PeftGrid.Grains.Storage;

namespace PeftGrid.Grains.Leaderboard;

/// <summary>Persisted head record of a <see cref="LeaderboardGrain"/>; the entries live in <see cref="LeaderboardChunk"/> records.</summary>
[GenerateSerializer, Alias("peftgrid.LeaderboardState")]
public sealed class LeaderboardState
{
    // [Id(0)] is retired (entries moved to chunks before any release); never reuse it.
    /// <summary>Entry chunks known to exist when this record was written (later ones are found by probing).</summary>
    [Id(1)] public int ChunkCount { get; set; }
}

/// <summary>One persisted chunk of leaderboard entries (storage record <c>leaderboard-entries-N</c>).</summary>
[GenerateSerializer, Alias("peftgrid.LeaderboardChunk")]
public sealed class LeaderboardChunk
{
    /// <summary>Entries in arrival order.</summary>
    [Id(0)] public List<LeaderboardEntry> Entries { get; set; } = [];
}

/// <summary>
/// The leaderboard of one task and model (see <see cref="ILeaderboardGrain"/>). Entries are appended to chunks of
/// <see cref="ChunkSize"/>, so an ingest writes only the chunk(s) it touched. Rows are kept per configuration and
/// recomputed only for configurations that received entries; the view is cached until the next ingest.
/// </summary>
public sealed class LeaderboardGrain(
    [PersistentState("leaderboard", GrainKeys.Storage)] IPersistentState<LeaderboardState> store) : Grain, ILeaderboardGrain
{
    /// <summary>Entries per persisted chunk.</summary>
    public const int ChunkSize = 64;

    private readonly Dictionary<string, LeaderboardEntry> entries = new(StringComparer.Ordinal);
    private readonly Dictionary<(double? Tier, string Method), Group> groupIndex = [];
    private readonly List<Group> groups = [];
    private StateChunks<LeaderboardChunk> chunks = null!;
    private LeaderboardView? cached;

    private sealed class Group(string method, double? tier)
    {
        public string Method { get; } = method;
        public double? Tier { get; } = tier;
        public List<LeaderboardEntry> Entries { get; } = [];
        public LeaderboardRow? Row { get; set; }
    }

    /// <inheritdoc/>
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var storage = ServiceProvider.GetRequiredKeyedService<IGrainStorage>(GrainKeys.Storage);
        chunks = new StateChunks<LeaderboardChunk>(storage, this.GetGrainId(), "leaderboard-entries");
        await chunks.LoadAsync(store.State.ChunkCount);
        for (var k = 0; k < chunks.Count; k++)
        {
            foreach (var e in chunks[k].Entries)
            {
                if (entries.TryAdd(e.CellId, e))
                {
                    AddToGroup(e);
                }
            }
        }
        await base.OnActivateAsync(cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<int> IngestAsync(IReadOnlyList<LeaderboardEntry> batch)
    {
        var added = 0;
        var before = chunks.Count;
        foreach (var e in batch)
        {
            if (entries.TryAdd(e.CellId, e))
            {
                Append(e);
                added++;
            }
        }
        if (chunks.IsDirty)
        {
            cached = null;
            await chunks.WriteDirtyAsync();
            if (chunks.Count != before)
            {
                store.State.ChunkCount = chunks.Count;
                await store.WriteStateAsync();
            }
        }
        return added;
    }

    /// <inheritdoc/>
    public Task<LeaderboardView> GetAsync()
    {
        if (cached is null)
        {
            var (task, model) = Split(this.GetPrimaryKeyString());
            var rows = new List<LeaderboardRow>(groups.Count);
            foreach (var g in groups)
            {
                g.Row ??= LeaderboardMath.Row(g.Method, g.Tier, g.Entries);
                rows.Add(g.Row);
            }
            var metric = entries.Count == 0 ? "accuracy" : entries.Values.First().Metric;
            cached = LeaderboardMath.Assemble(task, model, metric, entries.Count, rows);
        }
        return Task.FromResult(cached);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<LeaderboardEntry>> GetEntriesAsync() =>
        Task.FromResult<IReadOnlyList<LeaderboardEntry>>(entries.Values.OrderBy(e => e.CellId, StringComparer.Ordinal).ToList());

    /// <inheritdoc/>
    public Task<int> RemoveAsync(IReadOnlyList<string> cellIds) =>
        throw new NotSupportedException("leaderboard entry removal lands with the leaderboard rework (issue 8)");

    private void Append(LeaderboardEntry e)
    {
        if (chunks.Count == 0 || chunks[chunks.Count - 1].Entries.Count >= ChunkSize)
        {
            chunks.Add();
        }
        chunks[chunks.Count - 1].Entries.Add(e);
        chunks.MarkDirty(chunks.Count - 1);
        AddToGroup(e);
    }

    private void AddToGroup(LeaderboardEntry e)
    {
        if (!groupIndex.TryGetValue((e.Tier, e.Method), out var g))
        {
            g = new Group(e.Method, e.Tier);
            groupIndex[(e.Tier, e.Method)] = g;
            groups.Add(g);
        }
        g.Entries.Add(e);
        g.Row = null;
        cached = null;
    }

    private static (string Task, string Model) Split(string key)
    {
        var bar = key.IndexOf('|', StringComparison.Ordinal);
        return bar < 0 ? (key, "") : (key[..bar], key[(bar + 1)..]);
    }
}
