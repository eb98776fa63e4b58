using PeftGrid.Contracts.Trials;

namespace PeftGrid.Contracts.Grid;

/// <summary>
/// The cluster's one scheduler (key <see cref="GrainKeys.Scheduler"/>): expands sweeps into cells, queues them,
/// leases them to workers with a deadline, requeues cells whose worker stops heartbeating, retries failures up to
/// the policy's limit and accepts each cell's result exactly once. Its state lives in grain storage.
/// </summary>
public interface ISchedulerGrain : IGrainWithStringKey
{
    /// <summary>Adds a sweep's cells. Known cells are not added again; cells invalid on every machine (unknown task or model,
    /// bad method, unreachable budget, …: the cluster's admission check, the same on every silo) are returned, not queued.
    /// A valid cell no registered worker can run is queued and waits (<see cref="SweepStatus.Waiting"/>).</summary>
    /// <exception cref="ArgumentException">The request is empty or its policy is out of range.</exception>
    Task<SubmitResult> SubmitAsync(SweepRequest request);

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
    /// <returns>The outcome of each completion (same order) and the new leases.</returns>
    Task<ExchangeReply> ExchangeAsync(string workerId, IReadOnlyList<CellCompletion> completions, int maxCells);

    /// <summary>Extends the worker's leases; says which cells to stop.</summary>
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
