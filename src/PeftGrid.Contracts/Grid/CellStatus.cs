namespace PeftGrid.Contracts.Grid;

/// <summary>Where a grid cell is in its life (DESIGN.md §5). Values are persisted: append only.</summary>
public enum CellStatus
{
    /// <summary>Queued, waiting for a worker.</summary>
    Pending = 0,
    /// <summary>Leased to a worker that is running it (or its result is being made durable).</summary>
    Running = 1,
    /// <summary>Finished with a result (a Succeeded trial).</summary>
    Succeeded = 2,
    /// <summary>Failed on every allowed attempt; <see cref="CellInfo.Error"/> says why.</summary>
    Failed = 3,
    /// <summary>Its sweep was cancelled before it finished.</summary>
    Cancelled = 4,
    /// <summary>Finished with a result whose training diverged (a <c>TrialStatus.Diverged</c> trial): terminal, recorded,
    /// sent to the leaderboard as a diverged entry (never ranked), counted in <see cref="SweepStatus.Diverged"/>.</summary>
    Diverged = 5,
}
