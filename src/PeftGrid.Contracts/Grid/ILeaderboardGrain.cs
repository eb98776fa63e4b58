namespace PeftGrid.Contracts.Grid;

/// <summary>The leaderboard of one task and model (key <see cref="GrainKeys.Leaderboard"/>).</summary>
public interface ILeaderboardGrain : IGrainWithStringKey
{
    /// <summary>Adds succeeded and diverged cells; idempotent on <see cref="LeaderboardEntry.CellId"/>: an entry with a higher
    /// <see cref="LeaderboardEntry.Run"/> than the cell's current one replaces it, an equal or lower run is a duplicate and
    /// ignored. Persisted before returning (a storage conflict is resolved by re-reading and re-applying).</summary>
    /// <returns>Entries that were new or replaced an older run.</returns>
    Task<int> IngestAsync(IReadOnlyList<LeaderboardEntry> entries);

    /// <summary>Each tier's ranking (mean ± sample std over seeds) and the Pareto front.</summary>
    Task<LeaderboardView> GetAsync();

    /// <summary>The raw per-cell entries.</summary>
    Task<IReadOnlyList<LeaderboardEntry>> GetEntriesAsync();

    /// <summary>Removes the entries of cells whose result was lost from storage (the scheduler runs them again). Persisted before returning.</summary>
    /// <param name="cellIds">Cell ids; unknown ones are ignored.</param>
    /// <returns>Entries removed.</returns>
    Task<int> RemoveAsync(IReadOnlyList<string> cellIds);
}
