using PeftGrid.Contracts.Trials;

namespace PeftGrid.Contracts.Grid;

/// <summary>A cell handed to a worker for <see cref="LeaseSeconds"/> at a time (extended by heartbeats).</summary>
[GenerateSerializer, Immutable, Alias("peftgrid.CellLease")]
public sealed record CellLease
{
    /// <summary>The cell id.</summary>
    [Id(0)] public required string CellId { get; init; }
    /// <summary>The cell.</summary>
    [Id(1)] public required TrialSpec Spec { get; init; }
    /// <summary>Opaque token naming this lease; results and heartbeats quote it.</summary>
    [Id(2)] public required string Token { get; init; }
    /// <summary>1-based attempt number.</summary>
    [Id(3)] public int Attempt { get; init; }
    /// <summary>Lease length, seconds; heartbeat at least every third of it.</summary>
    [Id(4)] public int LeaseSeconds { get; init; }
    /// <summary>1-based run of the cell (1 + retries).</summary>
    [Id(5)] public int Run { get; init; } = 1;
    /// <summary>Interruptions of the cell in this run before this lease. (<see cref="Run"/>, <see cref="Attempt"/>, <see cref="Interruptions"/>)
    /// grows with every new lease of a cell, so it orders the leases of one cell: a report quoting an older one is stale.</summary>
    [Id(6)] public int Interruptions { get; init; }
}

/// <summary>A lease a worker still holds, quoted in heartbeats.</summary>
[GenerateSerializer, Immutable, Alias("peftgrid.HeldLease")]
public sealed record HeldLease
{
    /// <summary>The cell id.</summary>
    [Id(0)] public required string CellId { get; init; }
    /// <summary>The lease token.</summary>
    [Id(1)] public required string Token { get; init; }
}

/// <summary>The scheduler's answer to a heartbeat.</summary>
[GenerateSerializer, Immutable, Alias("peftgrid.HeartbeatReply")]
public sealed record HeartbeatReply
{
    /// <summary>Cells whose sweep was cancelled: stop them.</summary>
    [Id(0)] public IReadOnlyList<string> Cancel { get; init; } = [];
    /// <summary>Cells no longer leased to this worker (expired and taken over, or already finished): stop them.</summary>
    [Id(1)] public IReadOnlyList<string> Lost { get; init; } = [];
    /// <summary>The scheduler does not know this worker: call <see cref="ISchedulerGrain.RegisterWorkerAsync"/> again.</summary>
    [Id(2)] public bool Unregistered { get; init; }
}

/// <summary>A worker's report of one finished attempt.</summary>
[GenerateSerializer, Immutable, Alias("peftgrid.CellCompletion")]
public sealed record CellCompletion
{
    /// <summary>The cell id.</summary>
    [Id(0)] public required string CellId { get; init; }
    /// <summary>The lease token the worker ran it under.</summary>
    [Id(1)] public required string Token { get; init; }
    /// <summary>The trial's result (any status).</summary>
    [Id(2)] public required TrialResult Result { get; init; }
    /// <summary>Wall time of the attempt on the worker, seconds.</summary>
    [Id(3)] public double WallSeconds { get; init; }
}

/// <summary>How the scheduler took a completion.</summary>
public enum CompletionOutcome
{
    /// <summary>Taken as the cell's result for its current run: made durable in its experiment grain (retried by the
    /// scheduler until it is, if storage is briefly unavailable), then ranked, then the cell is terminal.</summary>
    Accepted,
    /// <summary>A failed attempt (or an interruption past <see cref="FailurePolicy.MaxInterruptions"/>); the cell was queued again.</summary>
    Retrying,
    /// <summary>A repeat of the report that made the cell final (same lease token), or a report for an unknown cell; ignored.</summary>
    Duplicate,
    /// <summary>An interruption (the worker shut down and handed the cell back) within <see cref="FailurePolicy.MaxInterruptions"/>:
    /// the cell was queued again without using an attempt; or the sweep was cancelled and the cell ended Cancelled.</summary>
    Requeued,
    /// <summary>The completion's token is not the cell's current lease token (a revoked or expired lease, an older attempt,
    /// an unknown token): logged and ignored — it never changes the cell, fails it, or cancels the live attempt. The one
    /// exception: after a scheduler restart, a cell not yet leased by the new activation may be adopted by the worker that
    /// reports it (its lease may have been granted after the last write).</summary>
    Rejected,
}
