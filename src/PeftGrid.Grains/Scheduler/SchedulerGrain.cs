using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using Orleans.Storage;
using PeftGrid.Contracts.Grid;
using PeftGrid.Contracts.Trials;
using PeftGrid.Grains.Storage;
using PeftGrid.Grains.Telemetry;

namespace PeftGrid.Grains.Scheduler;

/// <summary>
/// The scheduler (see <see cref="ISchedulerGrain"/>). Reentrant: a slow experiment or storage write never blocks
/// other workers. Sweeps are written through on submit and cancel; cells live in chunks of <see cref="ChunkSize"/>
/// (in submission order) written behind — at most <see cref="WriteBehind"/> late, and only the chunks that changed —
/// for leases and results. Results are made durable first in their <see cref="IExperimentGrain"/>, so a restarted
/// scheduler reconciles and never runs a finished cell again. Status queries read counters kept up to date on every
/// transition, never a scan of the cells. Submission refuses only cells invalid on every machine (<see cref="ICellAdmission"/>);
/// a worker is leased only cells its registered <see cref="RunnerCapabilities"/> cover, so a refusal never depends on
/// which silo hosts the scheduler, and a cell no live worker can run waits with the reason.
/// </summary>
[Reentrant]
public sealed partial class SchedulerGrain : Grain, ISchedulerGrain
{
    /// <summary>Longest delay between a change and its write to storage.</summary>
    public static readonly TimeSpan WriteBehind = TimeSpan.FromSeconds(1);

    /// <summary>Cells per persisted chunk.</summary>
    public const int ChunkSize = 256;

    private readonly IPersistentState<SchedulerState> store;
    private readonly ICellAdmission admission;
    private readonly ILogger<SchedulerGrain> logger;
    private readonly Dictionary<string, CellRecord> cells = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SweepCounters> sweeps = new(StringComparer.Ordinal);
    private readonly SortedSet<string> boards = new(StringComparer.Ordinal);
    private readonly CellQueues queue = new();
    private readonly WorkerRegistry workers = new();
    private readonly Dictionary<string, Lease> leases = new(StringComparer.Ordinal);
    private readonly HashSet<string> finalizing = new(StringComparer.Ordinal);
    private readonly List<(CellRecord Cell, TrialResult Result)> unranked = [];
    private bool retryingRanks;
    private StateChunks<CellChunk> chunks = null!;
    private DateTime leasingResumesAtUtc = DateTime.MinValue;
    private DateTime lastExpiryScanUtc = DateTime.MinValue;
    private DateTime lastWriteUtc = DateTime.MinValue;
    private TimeSpan lastWriteTook = TimeSpan.Zero;
    private bool metaDirty;
    private int pending;
    private Task writing = Task.CompletedTask;
    private IGrainTimer? timer;

    /// <summary>Creates the grain; <paramref name="admission"/> decides refusals at submission.</summary>
    public SchedulerGrain(
        [PersistentState("scheduler", GrainKeys.Storage)] IPersistentState<SchedulerState> store,
        ICellAdmission admission,
        ILogger<SchedulerGrain> logger)
    {
        this.store = store;
        this.admission = admission;
        this.logger = logger;
    }

    private SchedulerState State => store.State;

    private bool Dirty => metaDirty || chunks.IsDirty;

    /// <inheritdoc/>
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var storage = ServiceProvider.GetRequiredKeyedService<IGrainStorage>(GrainKeys.Storage);
        chunks = new StateChunks<CellChunk>(storage, this.GetGrainId(), "scheduler-cells");
        await chunks.LoadAsync(State.ChunkCount);
        for (var k = 0; k < chunks.Count; k++)
        {
            foreach (var cell in chunks[k].Cells)
            {
                cell.Chunk = k;
                if (cell.Id.Length == 0)
                {
                    cell.Id = cell.Spec.CellId;
                }
                cell.Need = CellNeed.Of(cell.Spec);
                cells[cell.Id] = cell;
                boards.Add(GrainKeys.Leaderboard(cell.Spec.Task, cell.Spec.Model));
            }
        }
        foreach (var sweep in State.Sweeps.Values)
        {
            var counters = new SweepCounters(sweep);
            sweeps[sweep.Id] = counters;
            if (sweep.CellIds.RemoveAll(id => !cells.ContainsKey(id)) > 0)
            {
                metaDirty = true; // cells whose chunk write never landed (the submission was not acknowledged)
            }
            foreach (var id in sweep.CellIds)
            {
                counters.Add(cells[id]);
            }
        }

        var now = DateTime.UtcNow;
        var maxLease = 0;
        foreach (var cell in cells.Values.OrderBy(c => c.QueuedAtUtc))
        {
            if (cell.Status == CellStatus.Pending)
            {
                queue.Enqueue(cell);
                pending++;
            }
            else if (cell.Status == CellStatus.Running)
            {
                cell.Token ??= NewToken();
                leases[cell.Token] = new Lease { CellId = cell.Id, WorkerId = cell.Worker ?? "?", DeadlineUtc = now.AddSeconds(cell.LeaseSeconds), Restored = true };
            }
            if (!cell.IsTerminal)
            {
                maxLease = Math.Max(maxLease, cell.LeaseSeconds);
            }
        }
        if (maxLease > 0)
        {
            // Leases granted after the last write are unknown: give live workers time to heartbeat them back.
            leasingResumesAtUtc = now.AddSeconds(Math.Clamp(maxLease / 2.0, 1, 30));
        }
        if (cells.Values.Any(c => !c.IsTerminal || !c.Ranked))
        {
            await ReconcileAsync();
        }
        if (Dirty)
        {
            await FlushAsync();
        }
        timer = this.RegisterGrainTimer(TickAsync, new GrainTimerCreationOptions(TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(200)) { Interleave = true, KeepAlive = true });
        await base.OnActivateAsync(cancellationToken);
    }

    /// <inheritdoc/>
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        timer?.Dispose();
        if (Dirty)
        {
            await FlushAsync();
        }
        await base.OnDeactivateAsync(reason, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<SubmitResult> SubmitAsync(SweepRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.SweepId))
        {
            throw new ArgumentException("a sweep needs an id");
        }
        if (request.Cells.Count == 0)
        {
            throw new ArgumentException($"sweep '{request.SweepId}' has no cells");
        }
        if (request.Policy.MaxAttempts < 1 || request.Policy.LeaseSeconds < 1)
        {
            throw new ArgumentException($"sweep '{request.SweepId}': maxAttempts and leaseSeconds must be ≥ 1 (got {request.Policy.MaxAttempts}, {request.Policy.LeaseSeconds})");
        }
        var now = DateTime.UtcNow;
        if (!sweeps.TryGetValue(request.SweepId, out var counters))
        {
            var record = new SweepRecord { Id = request.SweepId, Name = request.Name, SubmittedAtUtc = now };
            State.Sweeps[request.SweepId] = record;
            counters = new SweepCounters(record);
            sweeps[request.SweepId] = counters;
        }
        var sweep = counters.Record;
        sweep.Cancelled = false;
        metaDirty = true;
        int added = 0, existing = 0, requeued = 0;
        var refused = new List<RefusedCell>();
        foreach (var spec in request.Cells)
        {
            var id = spec.CellId;
            if (admission.Refusal(spec) is { } reason)
            {
                refused.Add(new RefusedCell { CellId = id, Spec = spec, Reason = reason });
                continue;
            }
            if (cells.TryGetValue(id, out var cell))
            {
                if (cell.Status == CellStatus.Cancelled)
                {
                    cell.CancelRequested = false;
                    cell.Attempts = 0;
                    cell.Error = null;
                    Enqueue(cell, now);
                    requeued++;
                }
                else
                {
                    existing++;
                }
            }
            else
            {
                cell = new CellRecord { Id = id, Spec = spec, MaxAttempts = request.Policy.MaxAttempts, LeaseSeconds = request.Policy.LeaseSeconds };
                AddCell(cell);
                pending++; // a new cell starts Pending: Enqueue sees no transition
                Enqueue(cell, now);
                added++;
            }
            if (!counters.Members.Contains(id))
            {
                sweep.CellIds.Add(id);
                counters.Add(cell);
            }
        }
        var known = sweep.Refused.Select(r => r.CellId).ToHashSet(StringComparer.Ordinal);
        sweep.Refused.AddRange(refused.Where(r => !known.Contains(r.CellId)));
        await FlushAsync();
        logger.LogInformation("Sweep {SweepId}: {Added} added, {Existing} existing, {Requeued} requeued, {Refused} refused", request.SweepId, added, existing, requeued, refused.Count);
        return new SubmitResult { SweepId = request.SweepId, Added = added, Existing = existing, Requeued = requeued, Refused = refused };
    }

    /// <inheritdoc/>
    public async Task<SweepStatus> CancelAsync(string sweepId)
    {
        var sweep = Find(sweepId);
        sweep.Record.Cancelled = true;
        metaDirty = true;
        var now = DateTime.UtcNow;
        foreach (var id in sweep.Record.CellIds)
        {
            var cell = cells[id];
            if (cell.Status == CellStatus.Pending)
            {
                SetStatus(cell, CellStatus.Cancelled);
                cell.FinishedAtUtc = now;
                cell.Ranked = true;
                PeftGridTelemetry.Cells.Add(1, new KeyValuePair<string, object?>("status", "cancelled"));
            }
            else if (cell.Status == CellStatus.Running)
            {
                cell.CancelRequested = true;
                Touch(cell);
            }
        }
        await FlushAsync();
        return StatusOf(sweep);
    }

    /// <summary>Appends a new cell to the last chunk (opening a new one when full).</summary>
    private void AddCell(CellRecord cell)
    {
        if (chunks.Count == 0 || chunks[chunks.Count - 1].Cells.Count >= ChunkSize)
        {
            chunks.Add();
            metaDirty = true;
        }
        cell.Chunk = chunks.Count - 1;
        chunks[cell.Chunk].Cells.Add(cell);
        chunks.MarkDirty(cell.Chunk);
        cells[cell.Id] = cell;
        cell.Need = CellNeed.Of(cell.Spec);
        boards.Add(GrainKeys.Leaderboard(cell.Spec.Task, cell.Spec.Model));
    }

    private void Enqueue(CellRecord cell, DateTime now)
    {
        SetStatus(cell, CellStatus.Pending);
        cell.Token = null;
        cell.QueuedAtUtc = now;
        queue.Enqueue(cell);
    }

    /// <summary>Marks the cell's chunk for the next write.</summary>
    private void Touch(CellRecord cell) => chunks.MarkDirty(cell.Chunk);

    /// <summary>Changes a cell's status, keeping the queue depth and its sweeps' counters in step.</summary>
    private void SetStatus(CellRecord cell, CellStatus status)
    {
        var old = cell.Status;
        if (old != status)
        {
            if (old == CellStatus.Pending)
            {
                pending--;
            }
            else if (status == CellStatus.Pending)
            {
                pending++;
            }
            foreach (var s in cell.Sweeps)
            {
                s.ByStatus[(int)old]--;
                s.ByStatus[(int)status]++;
                if (old == CellStatus.Pending || status == CellStatus.Pending)
                {
                    s.AddPending(cell.Need, old == CellStatus.Pending ? -1 : 1);
                }
            }
            cell.Status = status;
        }
        Touch(cell);
    }

    /// <summary>Sets a cell's wall time, keeping its sweeps' means in step.</summary>
    private static void SetWall(CellRecord cell, double seconds)
    {
        foreach (var s in cell.Sweeps)
        {
            if (cell.WallSeconds > 0)
            {
                s.WallSum -= cell.WallSeconds;
                s.WallCount--;
            }
            if (seconds > 0)
            {
                s.WallSum += seconds;
                s.WallCount++;
            }
        }
        cell.WallSeconds = seconds;
    }

    private async Task FlushAsync()
    {
        while (!writing.IsCompleted)
        {
            try
            {
                await writing;
            }
            catch
            {
                // that write's changes are still marked dirty: this one retries them
            }
        }
        lastWriteUtc = DateTime.UtcNow;
        var clock = Stopwatch.StartNew();
        writing = WriteAsync();
        await writing;
        lastWriteTook = clock.Elapsed;
    }

    /// <summary>Writes the changed chunks, then (if sweeps changed) the head record: a sweep never names a cell not yet stored.</summary>
    private async Task WriteAsync()
    {
        var meta = metaDirty;
        metaDirty = false;
        try
        {
            await chunks.WriteDirtyAsync();
            if (meta)
            {
                State.ChunkCount = chunks.Count;
                await store.WriteStateAsync();
            }
        }
        catch
        {
            metaDirty |= meta;
            throw;
        }
    }

    private async Task TickAsync(CancellationToken cancellationToken)
    {
        PeftGridTelemetry.SetQueueDepth(pending);
        await ExpireLeasesAsync(force: true);
        await RetryRankingAsync();
        // Adaptive write-behind: at least WriteBehind apart, and at most ~20 % of the time spent writing.
        if (Dirty && DateTime.UtcNow - lastWriteUtc >= Max(WriteBehind, 4 * lastWriteTook))
        {
            try
            {
                await FlushAsync();
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Scheduler state write failed; will retry");
            }
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static string NewToken() => Guid.NewGuid().ToString("N");
}
