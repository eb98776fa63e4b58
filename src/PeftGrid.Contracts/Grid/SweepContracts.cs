using PeftGrid.Contracts.Trials;

namespace PeftGrid.Contracts.Grid;

/// <summary>How a sweep treats failures and dead workers.</summary>
[GenerateSerializer, Immutable, Alias("peftgrid.FailurePolicy")]
public sealed record FailurePolicy
{
    /// <summary>Attempts per cell before it ends Failed (≥ 1). Default 2. A failed trial uses an attempt; an interruption
    /// uses one only past <see cref="MaxInterruptions"/>.</summary>
    [Id(0)] public int MaxAttempts { get; init; } = 2;
    /// <summary>Lease length in seconds (≥ 1): a worker that does not heartbeat within it loses the cell. Default 60.</summary>
    [Id(1)] public int LeaseSeconds { get; init; } = 60;
    /// <summary>Interruptions per cell (and per run) that do not use an attempt (≥ 0). Default 3. An interruption is a lost
    /// lease (the worker missed its heartbeats, e.g. its silo died) or a worker shutdown that handed the cell back
    /// (a <c>TrialStatus.Cancelled</c> report not caused by a sweep cancel); past the bound each one counts as a failed attempt.</summary>
    [Id(2)] public int MaxInterruptions { get; init; } = 3;
}

/// <summary>A sweep to submit: named cells and a failure policy.</summary>
[GenerateSerializer, Immutable, Alias("peftgrid.SweepRequest")]
public sealed record SweepRequest
{
    /// <summary>Sweep id; the same grid always gets the same id (see the client's grid expansion).</summary>
    [Id(0)] public required string SweepId { get; init; }
    /// <summary>Human-readable grid name, e.g. <c>demo-sst2</c>.</summary>
    [Id(1)] public string Name { get; init; } = "";
    /// <summary>The cells (already de-duplicated by <see cref="TrialSpec.CellId"/>).</summary>
    [Id(2)] public IReadOnlyList<TrialSpec> Cells { get; init; } = [];
    /// <summary>Failure policy for these cells.</summary>
    [Id(3)] public FailurePolicy Policy { get; init; } = new();
}

/// <summary>A cell refused at submission because it is invalid on every machine (the scheduler's admission check).</summary>
[GenerateSerializer, Immutable, Alias("peftgrid.RefusedCell")]
public sealed record RefusedCell
{
    /// <summary>The cell id.</summary>
    [Id(0)] public required string CellId { get; init; }
    /// <summary>The cell.</summary>
    [Id(1)] public required TrialSpec Spec { get; init; }
    /// <summary>Why it was refused.</summary>
    [Id(2)] public required string Reason { get; init; }
}

/// <summary>What a submission did.</summary>
[GenerateSerializer, Immutable, Alias("peftgrid.SubmitResult")]
public sealed record SubmitResult
{
    /// <summary>The sweep id.</summary>
    [Id(0)] public required string SweepId { get; init; }
    /// <summary>Cells new to the cluster, queued now.</summary>
    [Id(1)] public int Added { get; init; }
    /// <summary>Cells the cluster already knew (from this or another sweep) and that are pending, running or finished with
    /// their result in storage; not added or run again.</summary>
    [Id(2)] public int Existing { get; init; }
    /// <summary>Cells queued again by this submission: cancelled ones, and finished ones whose result was missing from
    /// storage (those also count in <see cref="SweepStatus.Lost"/>).</summary>
    [Id(3)] public int Requeued { get; init; }
    /// <summary>Cells refused with the reason.</summary>
    [Id(4)] public IReadOnlyList<RefusedCell> Refused { get; init; } = [];
}

/// <summary>Counts of a sweep's cells by status.</summary>
[GenerateSerializer, Immutable, Alias("peftgrid.SweepStatus")]
public sealed record SweepStatus
{
    /// <summary>The sweep id.</summary>
    [Id(0)] public required string SweepId { get; init; }
    /// <summary>Grid name.</summary>
    [Id(1)] public string Name { get; init; } = "";
    /// <summary>Accepted cells (refused ones excluded).</summary>
    [Id(2)] public int Total { get; init; }
    /// <summary>Queued.</summary>
    [Id(3)] public int Pending { get; init; }
    /// <summary>Running on a worker.</summary>
    [Id(4)] public int Running { get; init; }
    /// <summary>Finished with a (non-diverged) result.</summary>
    [Id(5)] public int Succeeded { get; init; }
    /// <summary>Failed after every attempt.</summary>
    [Id(6)] public int Failed { get; init; }
    /// <summary>Cancelled.</summary>
    [Id(7)] public int Cancelled { get; init; }
    /// <summary>Cells refused at submission.</summary>
    [Id(8)] public int Refused { get; init; }
    /// <summary>True once the sweep was cancelled.</summary>
    [Id(9)] public bool IsCancelled { get; init; }
    /// <summary>When the sweep was first submitted (UTC).</summary>
    [Id(10)] public DateTime SubmittedAtUtc { get; init; }
    /// <summary>Leaderboard keys (<see cref="GrainKeys.Leaderboard"/>) this sweep feeds.</summary>
    [Id(11)] public IReadOnlyList<string> Boards { get; init; } = [];
    /// <summary>Mean wall time of this sweep's finished cells, seconds (0 if none).</summary>
    [Id(12)] public double MeanCellSeconds { get; init; }
    /// <summary>Pending cells that no live registered worker can run, grouped by why (e.g. <c>no worker runs task xsum</c>);
    /// they stay queued until such a worker registers.</summary>
    [Id(13)] public IReadOnlyList<WaitingCells> Waiting { get; init; } = [];
    /// <summary>Workers registered with the scheduler and heard from within the last minute (of the whole cluster).</summary>
    [Id(14)] public int Workers { get; init; }
    /// <summary>Finished with a result whose training diverged (<see cref="CellStatus.Diverged"/>).</summary>
    [Id(15)] public int Diverged { get; init; }
    /// <summary>Interruptions of the sweep's cells in their current run (sum of <see cref="CellInfo.Interruptions"/>): lost leases
    /// and worker hand-backs, which use no attempt up to <see cref="FailurePolicy.MaxInterruptions"/>.</summary>
    [Id(16)] public int Interruptions { get; init; }
    /// <summary>Times a finished cell's result was found missing from storage; each such cell went back to Pending to run again
    /// (its leaderboard entry removed).</summary>
    [Id(17)] public int Lost { get; init; }
    /// <summary>The cells by budget tier (ascending; explicit sizes last).</summary>
    [Id(18)] public IReadOnlyList<TierStatus> Tiers { get; init; } = [];
    /// <summary>Compute spent so far, seconds: the wall time of every finished attempt of the sweep's cells (as its worker reported
    /// it, any outcome, every run; an attempt whose lease expired reports none) plus the time the running ones have run.</summary>
    [Id(19)] public double ComputeSeconds { get; init; }
    /// <summary>Compute still needed, seconds: pending and running cells × <see cref="MeanCellSeconds"/>, less the running ones'
    /// elapsed time (each running cell's rest never below 0); null before a cell has finished.</summary>
    [Id(20)] public double? RemainingComputeSeconds { get; init; }
    /// <summary>Time to finish, seconds: <see cref="RemainingComputeSeconds"/> over the live workers (at least one); null when
    /// unknown (no finished cell yet) and 0 when complete.</summary>
    [Id(21)] public double? EtaSeconds { get; init; }
    /// <summary>No cell is pending or running.</summary>
    public bool IsComplete => Pending == 0 && Running == 0;
    /// <summary>Cells finished in any terminal state (Succeeded, Diverged, Failed, Cancelled).</summary>
    public int Done => Succeeded + Diverged + Failed + Cancelled;
    /// <summary>Pending cells no live worker can run (the sum over <see cref="Waiting"/>).</summary>
    public int WaitingCount => Waiting.Sum(w => w.Cells);
    /// <summary>Nothing runs and every pending cell waits for a worker that can run it: no progress until one registers.</summary>
    public bool IsStalled => Running == 0 && Pending > 0 && WaitingCount == Pending;
}

/// <summary>Pending cells of a sweep that wait for the same missing capability.</summary>
[GenerateSerializer, Immutable, Alias("peftgrid.WaitingCells")]
public sealed record WaitingCells
{
    /// <summary>Why, e.g. <c>no worker runs model roberta-base</c>.</summary>
    [Id(0)] public required string Reason { get; init; }
    /// <summary>How many cells.</summary>
    [Id(1)] public int Cells { get; init; }
}

/// <summary>One cell as the scheduler sees it.</summary>
[GenerateSerializer, Immutable, Alias("peftgrid.CellInfo")]
public sealed record CellInfo
{
    /// <summary>The cell id.</summary>
    [Id(0)] public required string CellId { get; init; }
    /// <summary>The cell.</summary>
    [Id(1)] public required TrialSpec Spec { get; init; }
    /// <summary>Status.</summary>
    [Id(2)] public CellStatus Status { get; init; }
    /// <summary>Attempts used in the current run (a failed trial uses one; an interruption only past
    /// <see cref="FailurePolicy.MaxInterruptions"/>); counting the running one.</summary>
    [Id(3)] public int Attempts { get; init; }
    /// <summary>Last failure reason, if any.</summary>
    [Id(4)] public string? Error { get; init; }
    /// <summary>Worker running or that ran it.</summary>
    [Id(5)] public string? Worker { get; init; }
    /// <summary>The accepted result, when finished (only filled by result queries).</summary>
    [Id(6)] public TrialResult? Result { get; init; }
    /// <summary>For a pending cell no live worker can run: why (<see cref="WaitingCells.Reason"/>); else null.</summary>
    [Id(7)] public string? Waiting { get; init; }
    /// <summary>Interruptions in the current run (lost leases, worker hand-backs).</summary>
    [Id(8)] public int Interruptions { get; init; }
    /// <summary>1-based run: 1 + times the cell was rerun with <see cref="ISchedulerGrain.RetryAsync"/>.</summary>
    [Id(9)] public int Run { get; init; } = 1;
    /// <summary>Primary metric value of the accepted result (accuracy as a fraction; ROUGE/BLEU in points), null without one.</summary>
    [Id(10)] public double? Score { get; init; }
    /// <summary>Name of <see cref="Score"/>'s metric, e.g. <c>accuracy</c>.</summary>
    [Id(11)] public string? Metric { get; init; }
    /// <summary>Duration, seconds: the finished attempt's wall time, or how long the running attempt has run; 0 when pending.</summary>
    [Id(12)] public double Seconds { get; init; }
    /// <summary>When the current attempt was leased (UTC), null if never.</summary>
    [Id(13)] public DateTime? StartedAtUtc { get; init; }
    /// <summary>When the cell finished (UTC), null if it has not.</summary>
    [Id(14)] public DateTime? FinishedAtUtc { get; init; }
}

/// <summary>Which finished cells of a sweep <see cref="ISchedulerGrain.RetryAsync"/> runs again; neither flag = both.</summary>
[GenerateSerializer, Immutable, Alias("peftgrid.RetryRequest")]
public sealed record RetryRequest
{
    /// <summary>Rerun Failed cells.</summary>
    [Id(0)] public bool Failed { get; init; }
    /// <summary>Rerun Diverged cells.</summary>
    [Id(1)] public bool Diverged { get; init; }
}

/// <summary>What <see cref="ISchedulerGrain.RetryAsync"/> did.</summary>
[GenerateSerializer, Immutable, Alias("peftgrid.RetryResult")]
public sealed record RetryResult
{
    /// <summary>The sweep id.</summary>
    [Id(0)] public required string SweepId { get; init; }
    /// <summary>Failed cells queued again as a new run.</summary>
    [Id(1)] public int Failed { get; init; }
    /// <summary>Diverged cells queued again as a new run.</summary>
    [Id(2)] public int Diverged { get; init; }
    /// <summary>Cells whose result was found missing from storage during the retry's audit (back to Pending, see <see cref="SweepStatus.Lost"/>).</summary>
    [Id(3)] public int Lost { get; init; }
}
