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
/// The scheduler (see <see cref="ISchedulerGrain"/>), orchestrating plain parts: the <see cref="CellTable"/> (cells, status
/// transitions, per-sweep counters, queue), the <see cref="LeaseBook"/> (leases on the injected <see cref="TimeProvider"/>),
/// the <see cref="CellDispatcher"/> (lease, heartbeat, completion and interruption rules) and the <see cref="ResultSink"/>
/// (durable in the experiment grain, then ranked, then terminal — retried until it lands). Reentrant: a slow experiment or
/// storage write never blocks other workers. Sweeps are written through on submit, cancel and retry; cells live in chunks
/// of <see cref="ChunkSize"/> (in submission order) written behind — at most <see cref="WriteBehind"/> late, and only the
/// chunks that changed — for leases and results. A restarted scheduler reconciles with the experiment grains and never runs
/// a finished cell again; finished cells are audited (<see cref="AuditInterval"/>) and rerun if their result is gone from
/// storage. Status queries read counters kept up to date on every transition, never a scan of the cells. Submission
/// refuses only cells invalid on every machine (<see cref="ICellAdmission"/>); a worker is leased only cells its registered
/// <see cref="RunnerCapabilities"/> cover, and a cell no live worker can run waits with the reason.
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
    private readonly TimeProvider time;
    private readonly CellTable table;
    private readonly LeaseBook leases;
    private readonly CellDispatcher dispatcher;
    private readonly ResultSink sink;
    private readonly WorkerRegistry workers = new();
    private StateChunks<CellChunk> chunks = null!;
    private DateTime lastExpiryScanUtc = DateTime.MinValue;
    private DateTime lastWriteUtc = DateTime.MinValue;
    private TimeSpan lastWriteTook = TimeSpan.Zero;
    private bool metaDirty;
    private Task writing = Task.CompletedTask;
    private IGrainTimer? timer;

    /// <summary>Creates the grain; <paramref name="admission"/> decides refusals at submission, <paramref name="time"/> is the
    /// clock of leases, heartbeats, retries and audits.</summary>
    public SchedulerGrain(
        [PersistentState("scheduler", GrainKeys.Storage)] IPersistentState<SchedulerState> store,
        ICellAdmission admission,
        TimeProvider time,
        ILogger<SchedulerGrain> logger)
    {
        this.store = store;
        this.admission = admission;
        this.logger = logger;
        this.time = time;
        table = new CellTable(c => chunks.MarkDirty(c.Chunk));
        leases = new LeaseBook(time);
        sink = new ResultSink(new Targets(this), time, logger);
        dispatcher = new CellDispatcher(table, leases, sink.Holds, logger, workers.CountExpiry);
        lastAuditUtc = leases.Now;
    }

    private SchedulerState State => store.State;

    private bool Dirty => metaDirty || chunks.IsDirty;

    /// <inheritdoc/>
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var storage = ServiceProvider.GetRequiredKeyedService<IGrainStorage>(GrainKeys.Storage);
        chunks = new StateChunks<CellChunk>(storage, this.GetGrainId(), "scheduler-cells");
        await chunks.LoadAsync(State.ChunkCount);
        Load();
        // After a clean deactivation every lease granted is in storage: no worker holds a lease this activation cannot know.
        dispatcher.Restore(table.Cells.Values.OrderBy(c => c.QueuedAtUtc), grace: !State.Clean);
        if (State.Clean)
        {
            State.Clean = false;
            metaDirty = true;
        }
        await ReconcileAsync();
        lastAuditUtc = DateTime.MinValue; // the first tick audits every finished cell, in the background
        if (Dirty)
        {
            await FlushAsync();
        }
        timer = this.RegisterGrainTimer(TickAsync, new GrainTimerCreationOptions(TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(200)) { Interleave = true, KeepAlive = true });
        await base.OnActivateAsync(cancellationToken);
    }

    /// <summary>Builds the table from the loaded head record and chunks.</summary>
    private void Load()
    {
        for (var k = 0; k < chunks.Count; k++)
        {
            foreach (var cell in chunks[k].Cells)
            {
                cell.Chunk = k;
                table.Add(cell);
            }
        }
        foreach (var sweep in State.Sweeps.Values)
        {
            var counters = table.AddSweep(sweep);
            var missing = 0;
            foreach (var id in sweep.CellIds)
            {
                if (table.Find(id) is { } cell)
                {
                    counters.Add(cell);
                }
                else
                {
                    missing++;
                }
            }
            if (missing > 0)
            {
                // Never written by this scheduler (it writes cells before the sweeps naming them): storage lost them.
                logger.LogWarning("Sweep {SweepId}: {Missing} of its cells are missing from storage; resubmit the sweep to run them", sweep.Id, missing);
            }
        }
    }

    /// <inheritdoc/>
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        timer?.Dispose();
        // The final write below records every lease this activation granted: the next activation may lease at once — unless
        // this one was still holding leases back for workers of a crashed predecessor, whose leases it never learnt. In-memory
        // storage ends with the cluster (and is itself deactivating at shutdown): there is no next activation to tell.
        if (ServiceProvider.GetKeyedService<IGrainStorage>(GrainKeys.Storage) is not MemoryGrainStorage)
        {
            State.Clean = leases.Leasing;
            metaDirty = true;
        }
        if (Dirty)
        {
            try
            {
                await FlushAsync();
            }
            catch
            {
                State.Clean = false;
                throw;
            }
        }
        await base.OnDeactivateAsync(reason, cancellationToken);
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
        lastWriteUtc = leases.Now;
        var clock = Stopwatch.StartNew();
        writing = WriteAsync();
        await writing;
        lastWriteTook = clock.Elapsed;
    }

    /// <summary>Writes the changed chunks, then (if sweeps changed) the head record: a sweep never names a cell not yet stored.
    /// A conflict (etag mismatch) is resolved by re-reading and merging (<see cref="ResolveConflictAsync"/>), then written again.</summary>
    private async Task WriteAsync()
    {
        for (var attempt = 1; ; attempt++)
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
                return;
            }
            catch (Exception e) when (StorageConflicts.IsConflict(e) && attempt < MaxConflictRetries)
            {
                metaDirty |= meta;
                await ResolveConflictAsync(e);
            }
            catch
            {
                metaDirty |= meta;
                throw;
            }
        }
    }

    private async Task TickAsync(CancellationToken cancellationToken)
    {
        try
        {
            PeftGridTelemetry.SetQueueDepth(table.Pending);
            await ExpireAsync(force: true);
            Finish(await sink.RetryDueAsync());
            await AuditPeriodicallyAsync();
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Scheduler tick failed; will retry");
        }
        // Adaptive write-behind: at least WriteBehind apart, and at most ~20 % of the time spent writing.
        if (Dirty && leases.Now - lastWriteUtc >= Max(WriteBehind, 4 * lastWriteTook))
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
}
