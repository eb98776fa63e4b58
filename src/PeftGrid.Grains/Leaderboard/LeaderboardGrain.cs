using Microsoft.Extensions.Logging;
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
    /// <summary>Entries in arrival order (a replaced entry keeps its place; a removed one leaves a gap).</summary>
    [Id(0)] public List<LeaderboardEntry> Entries { get; set; } = [];
}

/// <summary>
/// The leaderboard of one task and model (see <see cref="ILeaderboardGrain"/>). Entries are appended to chunks of
/// <see cref="ChunkSize"/>, so a change writes only the chunk(s) it touched. Rows are kept per (tier, method, profile) and
/// recomputed only for rows that changed; the view is cached until the next change.
/// <para>Storage conflicts: when a write fails with <see cref="InconsistentStateException"/> (etag mismatch: Redis restarted
/// empty, another writer) the grain re-reads every chunk, re-applies what this activation holds (every entry it loaded or
/// acknowledged, unless storage has a higher run of that cell) and the removals it acknowledged, and writes again, up to
/// <see cref="MaxWriteAttempts"/> times; entries other writers added are kept. An acknowledged entry is never silently dropped
/// (LeaderboardGrain.Persistence.cs).</para>
/// </summary>
public sealed partial class LeaderboardGrain(
    [PersistentState("leaderboard", GrainKeys.Storage)] IPersistentState<LeaderboardState> store,
    ILogger<LeaderboardGrain> logger) : Grain, ILeaderboardGrain
{
    /// <summary>Entries per persisted chunk.</summary>
    public const int ChunkSize = 64;

    /// <summary>Write attempts per ingest or removal when storage reports conflicts (each after a re-read and re-apply).</summary>
    public const int MaxWriteAttempts = 4;

    private readonly Dictionary<string, (LeaderboardEntry Entry, int Chunk)> entries = new(StringComparer.Ordinal);
    private readonly Dictionary<(double? Tier, string Method, string Profile), Group> groupIndex = [];
    private readonly List<Group> groups = [];
    private readonly HashSet<string> removed = new(StringComparer.Ordinal);
    private StateChunks<LeaderboardChunk> chunks = null!;
    private LeaderboardView? cached;
    private List<LeaderboardEntry>? reapply;

    private sealed class Group((double? Tier, string Method, string Profile) key)
    {
        public (double? Tier, string Method, string Profile) Key { get; } = key;
        public List<LeaderboardEntry> Entries { get; } = [];
        public LeaderboardRow? Row { get; set; }
    }

    /// <inheritdoc/>
    public async Task<int> IngestAsync(IReadOnlyList<LeaderboardEntry> batch)
    {
        await RecoverAsync();
        var changed = 0;
        foreach (var e in batch)
        {
            if (Apply(e))
            {
                changed++;
            }
        }
        await PersistAsync();
        return changed;
    }

    /// <inheritdoc/>
    public async Task<int> RemoveAsync(IReadOnlyList<string> cellIds)
    {
        await RecoverAsync();
        var count = 0;
        foreach (var id in cellIds)
        {
            if (Remove(id))
            {
                count++;
            }
            removed.Add(id);
        }
        await PersistAsync();
        return count;
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
                g.Row ??= LeaderboardMath.Row(g.Key.Method, g.Key.Tier, g.Key.Profile, g.Entries);
                rows.Add(g.Row);
            }
            var metric = LeaderboardMath.Metric(groups.SelectMany(g => g.Entries));
            cached = LeaderboardMath.Assemble(task, model, metric, entries.Count, rows);
        }
        return Task.FromResult(cached);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<LeaderboardEntry>> GetEntriesAsync() =>
        Task.FromResult<IReadOnlyList<LeaderboardEntry>>(entries.Values.Select(s => s.Entry).OrderBy(e => e.CellId, StringComparer.Ordinal).ToList());

    /// <summary>Adds <paramref name="e"/>, or replaces the cell's entry if <paramref name="e"/> has a higher run; false for a duplicate.</summary>
    private bool Apply(LeaderboardEntry e)
    {
        if (entries.TryGetValue(e.CellId, out var slot))
        {
            if (e.Run <= slot.Entry.Run)
            {
                return false;
            }
            Replace(slot.Entry, slot.Chunk, e);
        }
        else
        {
            Append(e);
        }
        removed.Remove(e.CellId);
        return true;
    }

    private bool Remove(string cellId)
    {
        if (!entries.Remove(cellId, out var slot))
        {
            return false;
        }
        chunks[slot.Chunk].Entries.RemoveAll(x => x.CellId == cellId);
        chunks.MarkDirty(slot.Chunk);
        RemoveFromGroup(slot.Entry);
        return true;
    }

    private void Append(LeaderboardEntry e)
    {
        if (chunks.Count == 0 || chunks[chunks.Count - 1].Entries.Count >= ChunkSize)
        {
            chunks.Add();
        }
        var k = chunks.Count - 1;
        chunks[k].Entries.Add(e);
        chunks.MarkDirty(k);
        entries[e.CellId] = (e, k);
        AddToGroup(e);
    }

    /// <summary>Puts <paramref name="e"/> in the place of <paramref name="old"/> (same cell) in its chunk and its row.</summary>
    private void Replace(LeaderboardEntry old, int chunk, LeaderboardEntry e)
    {
        var list = chunks[chunk].Entries;
        list[list.FindIndex(x => x.CellId == old.CellId)] = e;
        chunks.MarkDirty(chunk);
        entries[e.CellId] = (e, chunk);
        if (LeaderboardMath.RowKey(old) == LeaderboardMath.RowKey(e) && groupIndex.TryGetValue(LeaderboardMath.RowKey(e), out var g))
        {
            g.Entries[g.Entries.FindIndex(x => x.CellId == old.CellId)] = e;
            g.Row = null;
            cached = null;
        }
        else
        {
            RemoveFromGroup(old);
            AddToGroup(e);
        }
    }

    private void AddToGroup(LeaderboardEntry e)
    {
        var key = LeaderboardMath.RowKey(e);
        if (!groupIndex.TryGetValue(key, out var g))
        {
            g = new Group(key);
            groupIndex[key] = g;
            groups.Add(g);
        }
        g.Entries.Add(e);
        g.Row = null;
        cached = null;
    }

    private void RemoveFromGroup(LeaderboardEntry e)
    {
        var key = LeaderboardMath.RowKey(e);
        if (!groupIndex.TryGetValue(key, out var g))
        {
            return;
        }
        g.Entries.RemoveAll(x => x.CellId == e.CellId);
        g.Row = null;
        cached = null;
        if (g.Entries.Count == 0)
        {
            groupIndex.Remove(key);
            groups.Remove(g);
        }
    }

    private static (string Task, string Model) Split(string key)
    {
        var bar = key.IndexOf('|', StringComparison.Ordinal);
        return bar < 0 ? (key, "") : (key[..bar], key[(bar + 1)..]);
    }
}
