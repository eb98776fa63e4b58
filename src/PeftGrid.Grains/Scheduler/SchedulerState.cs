using PeftGrid.Contracts.Grid;
using PeftGrid.Contracts.Trials;

namespace PeftGrid.Grains.Scheduler;

/// <summary>
/// The scheduler's persisted head record: every sweep (written on submit and cancel). The cells live in
/// <see cref="CellChunk"/> records of <see cref="SchedulerGrain.ChunkSize"/> cells each, in submission order, so a
/// write costs the chunks that changed — with a FIFO queue, the few chunks around the queue's head.
/// </summary>
[GenerateSerializer, Alias("peftgrid.SchedulerState")]
public sealed class SchedulerState
{
    // [Id(0)] is retired (cells moved to chunks before any release); never reuse it.
    /// <summary>Sweeps by id.</summary>
    [Id(1)] public Dictionary<string, SweepRecord> Sweeps { get; set; } = new(StringComparer.Ordinal);
    /// <summary>Cell chunks known to exist when this record was written (later ones are found by probing).</summary>
    [Id(2)] public int ChunkCount { get; set; }
    /// <summary>Written by an activation that deactivated cleanly (every lease it granted is in storage): the next activation
    /// needs no grace period before leasing; cleared by the next write.</summary>
    [Id(3)] public bool Clean { get; set; }
}

/// <summary>One persisted chunk of scheduler cells (storage record <c>scheduler-cells-N</c>).</summary>
[GenerateSerializer, Alias("peftgrid.SchedulerCellChunk")]
public sealed class CellChunk
{
    /// <summary>The cells, in the order they were added.</summary>
    [Id(0)] public List<CellRecord> Cells { get; set; } = [];
}

/// <summary>One cell in the scheduler.</summary>
[GenerateSerializer, Alias("peftgrid.CellRecord")]
public sealed class CellRecord
{
    /// <summary>The cell.</summary>
    [Id(0)] public TrialSpec Spec { get; set; } = null!;
    /// <summary>Status.</summary>
    [Id(1)] public CellStatus Status { get; set; }
    /// <summary>Attempts used in the current run: leases granted, minus interruptions within <see cref="MaxInterruptions"/>.</summary>
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
    /// <summary>The cell id (<see cref="TrialSpec.CellId"/>, kept so it is hashed once).</summary>
    [Id(13)] public string Id { get; set; } = "";
    /// <summary>Interruptions in the current run (lost leases, worker hand-backs).</summary>
    [Id(14)] public int Interruptions { get; set; }
    /// <summary>Interruptions that use no attempt (<see cref="FailurePolicy.MaxInterruptions"/>).</summary>
    [Id(15)] public int MaxInterruptions { get; set; } = 3;
    /// <summary>1-based run (1 + retries; 0 in records written before runs existed, read as 1).</summary>
    [Id(16)] public int Run { get; set; } = 1;
    /// <summary>Times its finished result was found missing from storage.</summary>
    [Id(17)] public int Lost { get; set; }
    /// <summary>Lease token of the attempt whose result made the cell final (a repeat of that report is a duplicate; any other token is rejected).</summary>
    [Id(18)] public string? FinalToken { get; set; }
    /// <summary>When the current (or last) attempt was leased, UTC; null if never.</summary>
    [Id(19)] public DateTime? LeasedAtUtc { get; set; }
    /// <summary>Primary metric value of the accepted result (<see cref="PeftGrid.Grains.Leaderboard.LeaderboardMath.Primary"/>), null without one.</summary>
    [Id(20)] public double? Score { get; set; }
    /// <summary>Name of <see cref="Score"/>'s metric.</summary>
    [Id(21)] public string? Metric { get; set; }
    /// <summary>Wall time of every attempt a worker reported (any outcome, every run), seconds: the compute the cell used.</summary>
    [Id(22)] public double SpentSeconds { get; set; }

    /// <summary>Index of the chunk holding it (in memory only).</summary>
    [NonSerialized] internal int Chunk;
    /// <summary>Counters of the sweeps it belongs to (in memory only).</summary>
    [NonSerialized] internal readonly List<SweepCounters> Sweeps = [];
    /// <summary>What a worker must run for it (in memory only; derived from <see cref="Spec"/>).</summary>
    [NonSerialized] internal CellNeed Need;
    /// <summary>Sequence number of its latest queue entry (in memory only; see <see cref="CellQueues"/>).</summary>
    [NonSerialized] internal long QueueSeq;
    /// <summary>Not leased by this activation since it restored the cell after a restart: a worker quoting any token may
    /// adopt it (in memory only).</summary>
    [NonSerialized] internal bool Adoptable;
    /// <summary>Its budget tier's label (<see cref="TierStatus.LabelOf"/>; in memory only, derived from <see cref="Spec"/>).</summary>
    [NonSerialized] internal string TierLabel = "";

    /// <summary>Succeeded, Diverged, Failed or Cancelled.</summary>
    public bool IsTerminal => Status is CellStatus.Succeeded or CellStatus.Diverged or CellStatus.Failed or CellStatus.Cancelled;

    /// <summary>Succeeded, Diverged or Failed: it has a result recorded in its experiment grain that must stay in storage.</summary>
    public bool HasResult => Status is CellStatus.Succeeded or CellStatus.Diverged or CellStatus.Failed;
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

/// <summary>
/// Derived, in-memory counters of one sweep, kept up to date on every status change so a status query is O(1)
/// instead of a scan of the sweep's cells.
/// </summary>
internal sealed class SweepCounters(SweepRecord record)
{
    public SweepRecord Record { get; } = record;
    /// <summary>Cells by <see cref="CellStatus"/>.</summary>
    public int[] ByStatus { get; } = new int[6];
    /// <summary>Sum of the members' <see cref="CellRecord.Interruptions"/>.</summary>
    public int Interruptions { get; set; }
    /// <summary>Sum of the members' <see cref="CellRecord.Lost"/>.</summary>
    public int Lost { get; set; }
    /// <summary>Sum of the members' accepted-attempt wall times (<see cref="CellRecord.WallSeconds"/>) and how many have one.</summary>
    public double WallSum { get; set; }
    /// <summary>Members with a wall time.</summary>
    public int WallCount { get; set; }
    /// <summary>Sum of the members' <see cref="CellRecord.SpentSeconds"/>.</summary>
    public double SpentSum { get; set; }
    /// <summary>Cells by budget tier label, each by <see cref="CellStatus"/>.</summary>
    public Dictionary<string, TierCounts> Tiers { get; } = new(StringComparer.Ordinal);
    /// <summary>Members, for idempotent adds.</summary>
    public HashSet<string> Members { get; } = new(StringComparer.Ordinal);
    /// <summary>Leaderboard keys in order of first appearance.</summary>
    public List<string> Boards { get; } = [];
    /// <summary>Pending cells by <see cref="CellNeed.Key"/>, for the reasons cells wait.</summary>
    public Dictionary<string, (CellNeed Need, int Cells)> PendingByNeed { get; } = new(StringComparer.Ordinal);
    private readonly HashSet<string> boardSet = new(StringComparer.Ordinal);

    public void Add(CellRecord cell)
    {
        if (!Members.Add(cell.Id))
        {
            return;
        }
        cell.Sweeps.Add(this);
        ByStatus[(int)cell.Status]++;
        TierOf(cell).ByStatus[(int)cell.Status]++;
        SpentSum += cell.SpentSeconds;
        Interruptions += cell.Interruptions;
        Lost += cell.Lost;
        if (cell.Status == CellStatus.Pending)
        {
            AddPending(cell.Need, 1);
        }
        if (cell.WallSeconds > 0)
        {
            WallSum += cell.WallSeconds;
            WallCount++;
        }
        var board = GrainKeys.Leaderboard(cell.Spec.Task, cell.Spec.Model);
        if (boardSet.Add(board))
        {
            Boards.Add(board);
        }
    }

    /// <summary>The counts of the cell's budget tier (created on first use).</summary>
    public TierCounts TierOf(CellRecord cell)
    {
        if (!Tiers.TryGetValue(cell.TierLabel, out var counts))
        {
            Tiers[cell.TierLabel] = counts = new TierCounts(cell.Spec.BudgetPercent);
        }
        return counts;
    }

    /// <summary>Counts <paramref name="delta"/> pending cells needing <paramref name="need"/>.</summary>
    public void AddPending(CellNeed need, int delta)
    {
        var cells = (PendingByNeed.TryGetValue(need.Key, out var e) ? e.Cells : 0) + delta;
        if (cells == 0)
        {
            PendingByNeed.Remove(need.Key);
        }
        else
        {
            PendingByNeed[need.Key] = (need, cells);
        }
    }
}

/// <summary>In-memory counts of one budget tier of a sweep, by <see cref="CellStatus"/>.</summary>
internal sealed class TierCounts(double? tier)
{
    /// <summary>The tier in %, null for explicit sizes.</summary>
    public double? Tier { get; } = tier;
    /// <summary>Cells by <see cref="CellStatus"/>.</summary>
    public int[] ByStatus { get; } = new int[6];
}
