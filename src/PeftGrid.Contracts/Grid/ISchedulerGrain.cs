using PeftGrid.Contracts.Trials;

namespace PeftGrid.Contracts.Grid;

/// <summary>
/// The cluster's one scheduler (key <see cref="GrainKeys.Scheduler"/>): expands sweeps into cells, queues them,
/// leases them to workers with a deadline, requeues cells whose worker stops heartbeating, retries failures up to
/// the policy's limit and accepts each cell's result exactly once per run. Its state lives in grain storage.
/// <para>Rules. A result (and a heartbeat) is taken only from the holder of the cell's current lease token; anything else is
/// <see cref="CompletionOutcome.Rejected"/>, logged and changes nothing. After a scheduler restart the tokens granted after
/// its last write are unknown: until the new activation leases a cell itself, a worker quoting any token for it may adopt
/// it (by heartbeat or completion). Interruptions (lease expired, worker hand-back) use no attempt up to
/// <see cref="FailurePolicy.MaxInterruptions"/>. Resubmitting a sweep runs only missing cells (unknown, cancelled, or whose
/// result is missing from storage); <see cref="RetryAsync"/> reruns Failed/Diverged cells as a new run. An acknowledged
/// submission is never lost: a storage write conflict is resolved by re-reading, merging and writing again.</para>
/// </summary>
public interface ISchedulerGrain : IGrainWithStringKey
{
    /// <summary>Adds a sweep's cells. Known cells are not added again (a cancelled one is queued again; a finished one whose
    /// result is missing from storage goes back to Pending, <see cref="SweepStatus.Lost"/>); cells invalid on every machine (unknown task or model,
    /// bad method, unreachable budget, …: the cluster's admission check, the same on every silo) are returned, not queued.
    /// A valid cell no registered worker can run is queued and waits (<see cref="SweepStatus.Waiting"/>).</summary>
    /// <exception cref="ArgumentException">The request is empty or its policy is out of range.</exception>
    Task<SubmitResult> SubmitAsync(SweepRequest request);

    /// <summary>Reruns a sweep's Failed and/or Diverged cells (neither flag = both) as a new run: each gets run + 1, its attempts
    /// and interruptions reset, and is queued. Its experiment grain keeps the earlier runs' results in its history; the
    /// leaderboard entry of the new run replaces the old one. The sweep's finished cells are audited first (results missing
    /// from storage go back to Pending).</summary>
    /// <exception cref="ArgumentException">Unknown sweep.</exception>
    Task<RetryResult> RetryAsync(string sweepId, RetryRequest request);

    /// <summary>Registers (or re-registers) a worker and what its runner can execute; it is leased only cells those cover.
    /// A worker the scheduler does not know (e.g. after a scheduler restart) is told so in its next reply and registers again;
    /// one silent for a minute no longer counts when the scheduler says why cells wait.</summary>
    /// <param name="workerId">The worker, <c>silo/device</c>.</param>
    /// <param name="capabilities">Its runner's capabilities, with the worker's device.</param>
    Task RegisterWorkerAsync(string workerId, RunnerCapabilities capabilities);

    /// <summary>Reports finished attempts and leases up to <paramref name="maxCells"/> new cells its registered capabilities
    /// cover (oldest first) in one call. An unregistered worker's completions are taken, but it gets no cell.</summary>
    /// <param name="workerId">The worker, <c>silo/device</c>.</param>
    /// <param name="completions">Finished attempts (may be empty).</param>
    /// <param name="maxCells">Cells wanted now (0 = only report).</param>
    /// <returns>The outcome of each completion (same order) and the new leases. A completion whose token is not the cell's
    /// current lease token is <see cref="CompletionOutcome.Rejected"/>.</returns>
    Task<ExchangeReply> ExchangeAsync(string workerId, IReadOnlyList<CellCompletion> completions, int maxCells);

    /// <summary>Extends the worker's leases (only those whose token is the cell's current one, or adoptable after a
    /// restart, see the rules above); says which cells to stop (cancelled, or no longer leased to it).</summary>
    Task<HeartbeatReply> HeartbeatAsync(string workerId, IReadOnlyList<HeldLease> held);

    /// <summary>Status of a sweep.</summary>
    /// <exception cref="ArgumentException">Unknown sweep.</exception>
    Task<SweepStatus> GetStatusAsync(string sweepId);

    /// <summary>The sweep's cells with their status (results not included).</summary>
    /// <exception cref="ArgumentException">Unknown sweep.</exception>
    Task<IReadOnlyList<CellInfo>> GetCellsAsync(string sweepId);

    /// <summary>Cancels a sweep: its pending cells end Cancelled, running ones are told to stop.</summary>
    /// <exception cref="ArgumentException">Unknown sweep.</exception>
    Task<SweepStatus> CancelAsync(string sweepId);

    /// <summary>Ids of every sweep the cluster knows.</summary>
    Task<IReadOnlyList<string>> ListSweepsAsync();

    /// <summary>Leaderboard keys (<c>task|model</c>) of every known cell.</summary>
    Task<IReadOnlyList<string>> ListBoardsAsync();

    /// <summary>Cells pending in the queue now.</summary>
    Task<int> GetQueueDepthAsync();

    /// <summary>Every sweep's status (with <see cref="SweepStatus.Tiers"/>), newest submission first.</summary>
    Task<IReadOnlyList<SweepStatus>> ListStatusesAsync();

    /// <summary>One page of a sweep's cells, filtered and sorted here (see <see cref="CellQuery"/>).</summary>
    /// <exception cref="ArgumentException">Unknown sweep, or a limit outside 1–500 or a negative offset.</exception>
    Task<CellPage> QueryCellsAsync(string sweepId, CellQuery query);

    /// <summary>One cell as the scheduler sees it (results not included), or null if unknown.</summary>
    Task<CellInfo?> GetCellAsync(string cellId);

    /// <summary>The registered workers (live ones first, then by id), with the cells leased to each and their lease expiries.</summary>
    Task<IReadOnlyList<WorkerStatus>> ListWorkersAsync();
}

/// <summary>Reply to <see cref="ISchedulerGrain.ExchangeAsync"/>.</summary>
[GenerateSerializer, Immutable, Alias("peftgrid.ExchangeReply")]
public sealed record ExchangeReply
{
    /// <summary>Outcome of each completion, in order.</summary>
    [Id(0)] public IReadOnlyList<CompletionOutcome> Outcomes { get; init; } = [];
    /// <summary>New leases.</summary>
    [Id(1)] public IReadOnlyList<CellLease> Leases { get; init; } = [];
    /// <summary>The scheduler does not know this worker: call <see cref="ISchedulerGrain.RegisterWorkerAsync"/> again.</summary>
    [Id(2)] public bool Unregistered { get; init; }
}
