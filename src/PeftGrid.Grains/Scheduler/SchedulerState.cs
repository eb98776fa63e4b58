using PeftGrid.Contracts.Grid;
using PeftGrid.Contracts.Trials;

namespace PeftGrid.Grains.Scheduler;

/// <summary>The scheduler's persisted state: every cell and every sweep.</summary>
[GenerateSerializer, Alias("peftgrid.SchedulerState")]
public sealed class SchedulerState
{
    /// <summary>Cells by id.</summary>
    [Id(0)] public Dictionary<string, CellRecord> Cells { get; set; } = new(StringComparer.Ordinal);
    /// <summary>Sweeps by id.</summary>
    [Id(1)] public Dictionary<string, SweepRecord> Sweeps { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>One cell in the scheduler.</summary>
[GenerateSerializer, Alias("peftgrid.CellRecord")]
public sealed class CellRecord
{
    /// <summary>The cell.</summary>
    [Id(0)] public TrialSpec Spec { get; set; } = null!;
    /// <summary>Status.</summary>
    [Id(1)] public CellStatus Status { get; set; }
    /// <summary>Attempts started (leases granted, minus attempts interrupted by a worker shutdown).</summary>
    [Id(2)] public int Attempts { get; set; }
    /// <summary>Attempt limit.</summary>
    [Id(3)] public int MaxAttempts { get; set; } = 2;
    /// <summary>Lease length, seconds.</summary>
    [Id(4)] public int LeaseSeconds { get; set; } = 60;
    /// <summary>Last failure reason.</summary>
    [Id(5)] public string? Error { get; set; }
    /// <summary>Worker holding or that last held it.</summary>
    [Id(6)] public string? Worker { get; set; }
    /// <summary>Current lease token while Running.</summary>
    [Id(7)] public string? Token { get; set; }
    /// <summary>When it was (last) queued, UTC.</summary>
    [Id(8)] public DateTime QueuedAtUtc { get; set; }
    /// <summary>When it reached a terminal status, UTC.</summary>
    [Id(9)] public DateTime? FinishedAtUtc { get; set; }
    /// <summary>Its result reached the leaderboard (or it has none to send).</summary>
    [Id(10)] public bool Ranked { get; set; }
    /// <summary>Wall time of the accepted attempt, seconds.</summary>
    [Id(11)] public double WallSeconds { get; set; }
    /// <summary>Its sweep was cancelled while it ran.</summary>
    [Id(12)] public bool CancelRequested { get; set; }

    /// <summary>Succeeded, Failed or Cancelled.</summary>
    public bool IsTerminal => Status is CellStatus.Succeeded or CellStatus.Failed or CellStatus.Cancelled;
}

/// <summary>One sweep in the scheduler.</summary>
[GenerateSerializer, Alias("peftgrid.SweepRecord")]
public sealed class SweepRecord
{
    /// <summary>Sweep id.</summary>
    [Id(0)] public string Id { get; set; } = "";
    /// <summary>Grid name.</summary>
    [Id(1)] public string Name { get; set; } = "";
    /// <summary>Accepted cells in submission order.</summary>
    [Id(2)] public List<string> CellIds { get; set; } = [];
    /// <summary>Refused cells.</summary>
    [Id(3)] public List<RefusedCell> Refused { get; set; } = [];
    /// <summary>First submission, UTC.</summary>
    [Id(4)] public DateTime SubmittedAtUtc { get; set; }
    /// <summary>Cancelled (until resubmitted).</summary>
    [Id(5)] public bool Cancelled { get; set; }
}

/// <summary>An in-memory lease (never persisted: a restarted scheduler restores leases from Running cells).</summary>
internal sealed class Lease
{
    public required string CellId { get; init; }
    public required string WorkerId { get; set; }
    public DateTime DeadlineUtc { get; set; }
    /// <summary>Restored after a restart: any heartbeat for the cell may adopt it.</summary>
    public bool Restored { get; set; }
}
