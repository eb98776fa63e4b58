using PeftGrid.Contracts.Grid;

namespace PeftGrid.Grains.Leaderboard;

/// <summary>Persisted state of a <see cref="LeaderboardGrain"/>.</summary>
[GenerateSerializer, Alias("peftgrid.LeaderboardState")]
public sealed class LeaderboardState
{
    /// <summary>Entries by cell id.</summary>
    [Id(0)] public Dictionary<string, LeaderboardEntry> Entries { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>The leaderboard of one task and model (see <see cref="ILeaderboardGrain"/>). Views are cached until the next ingest.</summary>
public sealed class LeaderboardGrain(
    [PersistentState("leaderboard", GrainKeys.Storage)] IPersistentState<LeaderboardState> store) : Grain, ILeaderboardGrain
{
    private LeaderboardView? cached;

    /// <inheritdoc/>
    public async Task<int> IngestAsync(IReadOnlyList<LeaderboardEntry> entries)
    {
        var added = 0;
        foreach (var e in entries)
        {
            if (store.State.Entries.TryAdd(e.CellId, e))
            {
                added++;
            }
        }
        if (added > 0)
        {
            cached = null;
            await store.WriteStateAsync();
        }
        return added;
    }

    /// <inheritdoc/>
    public Task<LeaderboardView> GetAsync()
    {
        if (cached is null)
        {
            var (task, model) = Split(this.GetPrimaryKeyString());
            cached = LeaderboardMath.Build(task, model, store.State.Entries.Values);
        }
        return Task.FromResult(cached);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<LeaderboardEntry>> GetEntriesAsync() =>
        Task.FromResult<IReadOnlyList<LeaderboardEntry>>(store.State.Entries.Values.OrderBy(e => e.CellId, StringComparer.Ordinal).ToList());

    private static (string Task, string Model) Split(string key)
    {
        var bar = key.IndexOf('|', StringComparison.Ordinal);
        return bar < 0 ? (key, "") : (key[..bar], key[(bar + 1)..]);
    }
}
