namespace PeftGrid.Contracts.Grid;

/// <summary>Where a grid cell is in its life (DESIGN.md §5).</summary>
public enum CellStatus
{
    /// <summary>Queued, waiting for a worker.</summary>
    Pending,
    /// <summary>Leased to a worker that is running it.</summary>
    Running,
    /// <summary>Finished with a result (Succeeded or Diverged trial).</summary>
    Succeeded,
    /// <summary>Failed on every allowed attempt; <see cref="CellInfo.Error"/> says why.</summary>
    Failed,
    /// <summary>Its sweep was cancelled before it finished.</summary>
    Cancelled,
}
