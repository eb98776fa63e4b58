using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using PeftGrid.Contracts.Grid;
using PeftGrid.Contracts.Trials;
using PeftGrid.Grains.Telemetry;

namespace PeftGrid.Grains.Scheduler;

/// <summary>
/// The scheduler (see <see cref="ISchedulerGrain"/>). Reentrant: a slow experiment or storage write never blocks
/// other workers. State is written through on submit and cancel and written behind (at most
/// <see cref="WriteBehind"/> late) for leases and results; results are made durable first in their
/// <see cref="IExperimentGrain"/>, so a restarted scheduler reconciles and never runs a finished cell again.
/// </summary>
[Reentrant]
public sealed partial class SchedulerGrain : Grain, ISchedulerGrain
{
    /// <summary>Longest delay between a change and its write to storage.</summary>
    public static readonly TimeSpan WriteBehind = TimeSpan.FromSeconds(1);

    private readonly IPersistentState<SchedulerState> store;
    private readonly ITrialRunner runner;
    private readonly ILogger<SchedulerGrain> logger;
    private readonly Queue<string> queue = new();
    private readonly Dictionary<string, Lease> leases = new(StringComparer.Ordinal);
    private readonly HashSet<string> finalizing = new(StringComparer.Ordinal);
    private DateTime leasingResumesAtUtc = DateTime.MinValue;
    private DateTime lastExpiryScanUtc = DateTime.MinValue;
    private DateTime lastWriteUtc = DateTime.MinValue;
    private TimeSpan lastWriteTook = TimeSpan.Zero;
    private bool dirty;
    private int pending;
    private Task writing = Task.CompletedTask;
    private IGrainTimer? timer;

    /// <summary>Creates the grain; <paramref name="runner"/> decides refusals at submission.</summary>
    public SchedulerGrain(
        [PersistentState("scheduler", GrainKeys.Storage)] IPersistentState<SchedulerState> store,
        ITrialRunner runner,
        ILogger<SchedulerGrain> logger)
    {
        this.store = store;
        this.runner = runner;
        this.logger = logger;
    }

    private SchedulerState State => store.State;

    /// <inheritdoc/>
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var now = DateTime.UtcNow;
        var maxLease = 0;
        foreach (var (id, cell) in State.Cells.OrderBy(c => c.Value.QueuedAtUtc))
        {
            if (cell.Status == CellStatus.Pending)
            {
                queue.Enqueue(id);
                pending++;
            }
            else if (cell.Status == CellStatus.Running)
            {
                cell.Token ??= NewToken();
                leases[cell.Token] = new Lease { CellId = id, WorkerId = cell.Worker ?? "?", DeadlineUtc = now.AddSeconds(cell.LeaseSeconds), Restored = true };
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
            await ReconcileAsync();
        }
        timer = this.RegisterGrainTimer(TickAsync, new GrainTimerCreationOptions(TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(200)) { Interleave = true, KeepAlive = true });
        await base.OnActivateAsync(cancellationToken);
    }

    /// <inheritdoc/>
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        timer?.Dispose();
        if (dirty)
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
        if (!State.Sweeps.TryGetValue(request.SweepId, out var sweep))
        {
            sweep = new SweepRecord { Id = request.SweepId, Name = request.Name, SubmittedAtUtc = now };
            State.Sweeps[request.SweepId] = sweep;
        }
        sweep.Cancelled = false;
        var members = sweep.CellIds.ToHashSet(StringComparer.Ordinal);
        int added = 0, existing = 0, requeued = 0;
        var refused = new List<RefusedCell>();
        foreach (var spec in request.Cells)
        {
            var id = spec.CellId;
            if (runner.Refusal(spec) is { } reason)
            {
                refused.Add(new RefusedCell { CellId = id, Spec = spec, Reason = reason });
                continue;
            }
            if (State.Cells.TryGetValue(id, out var cell))
            {
                if (cell.Status == CellStatus.Cancelled)
                {
                    cell.CancelRequested = false;
                    cell.Attempts = 0;
                    cell.Error = null;
                    Enqueue(id, cell, now);
                    requeued++;
                }
                else
                {
                    existing++;
                }
            }
            else
            {
                cell = new CellRecord { Spec = spec, MaxAttempts = request.Policy.MaxAttempts, LeaseSeconds = request.Policy.LeaseSeconds };
                State.Cells[id] = cell;
                Enqueue(id, cell, now);
                added++;
            }
            if (members.Add(id))
            {
                sweep.CellIds.Add(id);
            }
        }
        var known = sweep.Refused.Select(r => r.CellId).ToHashSet(StringComparer.Ordinal);
        sweep.Refused.AddRange(refused.Where(r => !known.Contains(r.CellId)));
        await FlushAsync();
        logger.LogInformation("Sweep {SweepId}: {Added} added, {Existing} existing, {Requeued} requeued, {Refused} refused", request.SweepId, added, existing, requeued, refused.Count);
        return new SubmitResult { SweepId = request.SweepId, Added = added, Existing = existing, Requeued = requeued, Refused = refused };
    }

    /// <inheritdoc/>
    public Task<SweepStatus> GetStatusAsync(string sweepId) => Task.FromResult(StatusOf(Find(sweepId)));

    /// <inheritdoc/>
    public Task<IReadOnlyList<CellInfo>> GetCellsAsync(string sweepId)
    {
        var sweep = Find(sweepId);
        IReadOnlyList<CellInfo> cells = sweep.CellIds.Select(id => State.Cells[id]).Select(c => new CellInfo
        {
            CellId = c.Spec.CellId, Spec = c.Spec, Status = c.Status, Attempts = c.Attempts, Error = c.Error, Worker = c.Worker,
        }).ToList();
        return Task.FromResult(cells);
    }

    /// <inheritdoc/>
    public async Task<SweepStatus> CancelAsync(string sweepId)
    {
        var sweep = Find(sweepId);
        sweep.Cancelled = true;
        var now = DateTime.UtcNow;
        foreach (var id in sweep.CellIds)
        {
            var cell = State.Cells[id];
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
            }
        }
        await FlushAsync();
        return StatusOf(sweep);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<string>> ListSweepsAsync() => Task.FromResult<IReadOnlyList<string>>(State.Sweeps.Keys.Order(StringComparer.Ordinal).ToList());

    /// <inheritdoc/>
    public Task<IReadOnlyList<string>> ListBoardsAsync() => Task.FromResult<IReadOnlyList<string>>(
        State.Cells.Values.Select(c => GrainKeys.Leaderboard(c.Spec.Task, c.Spec.Model)).Distinct().Order(StringComparer.Ordinal).ToList());

    /// <inheritdoc/>
    public Task<int> GetQueueDepthAsync() => Task.FromResult(pending);

    private SweepRecord Find(string sweepId) =>
        State.Sweeps.TryGetValue(sweepId ?? "", out var sweep)
            ? sweep
            : throw new ArgumentException($"unknown sweep '{sweepId}' (known: {(State.Sweeps.Count == 0 ? "none" : string.Join(", ", State.Sweeps.Keys.Take(10)))})");

    private SweepStatus StatusOf(SweepRecord sweep)
    {
        int p = 0, r = 0, s = 0, f = 0, c = 0, timed = 0;
        double seconds = 0;
        foreach (var id in sweep.CellIds)
        {
            var cell = State.Cells[id];
            switch (cell.Status)
            {
                case CellStatus.Pending: p++; break;
                case CellStatus.Running: r++; break;
                case CellStatus.Succeeded: s++; break;
                case CellStatus.Failed: f++; break;
                default: c++; break;
            }
            if (cell.WallSeconds > 0)
            {
                seconds += cell.WallSeconds;
                timed++;
            }
        }
        return new SweepStatus
        {
            SweepId = sweep.Id, Name = sweep.Name, Total = sweep.CellIds.Count, Pending = p, Running = r, Succeeded = s, Failed = f,
            Cancelled = c, Refused = sweep.Refused.Count, IsCancelled = sweep.Cancelled, SubmittedAtUtc = sweep.SubmittedAtUtc,
            MeanCellSeconds = timed == 0 ? 0 : seconds / timed,
            Boards = sweep.CellIds.Select(id => State.Cells[id].Spec).Select(x => GrainKeys.Leaderboard(x.Task, x.Model)).Distinct().ToList(),
        };
    }

    private void Enqueue(string id, CellRecord cell, DateTime now)
    {
        SetStatus(cell, CellStatus.Pending);
        cell.Token = null;
        cell.QueuedAtUtc = now;
        queue.Enqueue(id);
        dirty = true;
    }

    private void SetStatus(CellRecord cell, CellStatus status)
    {
        if (cell.Status == CellStatus.Pending && status != CellStatus.Pending)
        {
            pending--;
        }
        else if (cell.Status != CellStatus.Pending && status == CellStatus.Pending)
        {
            pending++;
        }
        cell.Status = status;
        dirty = true;
    }

    private async Task FlushAsync()
    {
        while (!writing.IsCompleted)
        {
            await writing;
        }
        dirty = false;
        lastWriteUtc = DateTime.UtcNow;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        writing = store.WriteStateAsync();
        try
        {
            await writing;
            lastWriteTook = clock.Elapsed;
        }
        catch
        {
            dirty = true;
            throw;
        }
    }

    private async Task TickAsync(CancellationToken cancellationToken)
    {
        PeftGridTelemetry.SetQueueDepth(pending);
        await ExpireLeasesAsync(force: true);
        // Adaptive write-behind: at least WriteBehind apart, and at most ~20 % of the time spent writing a large state.
        if (dirty && DateTime.UtcNow - lastWriteUtc >= Max(WriteBehind, 4 * lastWriteTook))
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
