using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using PeftGrid.Contracts.Grid;
using PeftGrid.Contracts.Trials;
using PeftGrid.Grains.Telemetry;

namespace PeftGrid.Grains.Workers;

/// <summary>
/// The loop of one device: registers its runner's capabilities with the scheduler (again whenever the scheduler says
/// it does not know the worker), leases the cells they cover, runs each through the <see cref="ITrialRunner"/> on a
/// thread-pool thread (never on an Orleans scheduler thread), heartbeats its leases, and reports results —
/// keeping unreported results across scheduler outages so none is lost. While a cell runs, its progress and curve points go
/// to a <see cref="CurveBuffer"/> (the training thread only appends) and a reporting loop sends what is new to the cell's
/// <see cref="IExperimentGrain"/> at most every <see cref="WorkerOptions.CurveReportMilliseconds"/>; a failed report is logged at
/// debug level and never affects the cell.
/// </summary>
public sealed class DeviceWorker(string workerId, string device, WorkerOptions options, ITrialRunner runner, IGrainFactory grains, ILogger logger)
{
    private readonly ConcurrentDictionary<string, Held> held = new();
    private int registered; // 1 once the scheduler knows this worker; back to 0 when a reply says it does not
    private long completed;
    private double examplesPerSecond;

    /// <summary>Worker id, <c>silo/device</c>.</summary>
    public string WorkerId { get; } = workerId;

    /// <summary>Attempts this worker finished.</summary>
    public long Completed => Interlocked.Read(ref completed);

    /// <summary>What it registers with the scheduler: its runner's capabilities on its device.</summary>
    public RunnerCapabilities Capabilities { get; } = runner.Capabilities with { Devices = [WorkerOptions.TorchDevice(device)] };

    /// <summary>Runs until <paramref name="stop"/>; then cancels running trials and hands their cells back.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        var scheduler = grains.GetGrain<ISchedulerGrain>(GrainKeys.Scheduler);
        var local = new Queue<CellLease>();
        var done = new List<CellCompletion>();
        var leaseSeconds = new Dictionary<string, double>(StringComparer.Ordinal);
        using var beatStop = new CancellationTokenSource();
        var beats = HeartbeatLoopAsync(scheduler, beatStop.Token);
        var curves = CurveLoopAsync(beatStop.Token);
        var failures = 0;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                if (local.Count == 0)
                {
                    await RegisterAsync(scheduler);
                    var sent = Stopwatch.GetTimestamp();
                    var reply = await scheduler.ExchangeAsync(WorkerId, done, Math.Max(1, options.LeaseBatch));
                    RecordOverhead(done, reply, Stopwatch.GetElapsedTime(sent).TotalSeconds, leaseSeconds);
                    LogRejected(done, reply);
                    done.Clear();
                    failures = 0;
                    if (reply.Unregistered)
                    {
                        Volatile.Write(ref registered, 0);
                        continue;
                    }
                    foreach (var lease in reply.Leases)
                    {
                        local.Enqueue(lease);
                        held[lease.Token] = new Held(lease, CancellationTokenSource.CreateLinkedTokenSource(stop),
                            new CurveBuffer(p => Volatile.Write(ref examplesPerSecond, p.ExamplesPerSecond)));
                    }
                    if (local.Count == 0)
                    {
                        await Task.Delay(options.PollMilliseconds, stop);
                    }
                    continue;
                }
                done.Add(await RunOneAsync(local.Dequeue()));
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                failures++;
                logger.LogWarning("Worker {Worker}: scheduler call failed ({Failures}x): {Error}", WorkerId, failures, e.Message);
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(5000, 100 * failures)), stop);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
        await beatStop.CancelAsync();
        await HandBackAsync(scheduler, local, done);
        await beats;
        await curves;
    }

    /// <summary>Registers with the scheduler unless it already knows this worker.</summary>
    private async Task RegisterAsync(ISchedulerGrain scheduler)
    {
        if (Volatile.Read(ref registered) == 0)
        {
            await scheduler.RegisterWorkerAsync(WorkerId, Capabilities);
            Volatile.Write(ref registered, 1);
        }
    }

    /// <summary>
    /// Per-cell scheduling overhead as this worker sees it: the round trip of the exchange that granted the cell
    /// (<c>phase=lease</c>), of the exchange that got its result accepted (<c>phase=accept</c>), and their sum
    /// (<c>phase=total</c>). Training time and time spent queued behind the worker's own batch are excluded.
    /// </summary>
    private static void RecordOverhead(List<CellCompletion> done, ExchangeReply reply, double roundTrip, Dictionary<string, double> leaseSeconds)
    {
        for (var i = 0; i < done.Count && i < reply.Outcomes.Count; i++)
        {
            if (leaseSeconds.Remove(done[i].Token, out var lease) && reply.Outcomes[i] == CompletionOutcome.Accepted)
            {
                PeftGridTelemetry.SchedulingOverhead.Record(roundTrip, PeftGridTelemetry.AcceptPhase);
                PeftGridTelemetry.SchedulingOverhead.Record(lease + roundTrip, PeftGridTelemetry.TotalPhase);
            }
        }
        foreach (var lease in reply.Leases)
        {
            leaseSeconds[lease.Token] = roundTrip;
            PeftGridTelemetry.SchedulingOverhead.Record(roundTrip, PeftGridTelemetry.LeasePhase);
        }
    }

    /// <summary>A rejected report (the lease was revoked: it expired and the cell went to another worker) is dropped; says so.</summary>
    private void LogRejected(List<CellCompletion> done, ExchangeReply reply)
    {
        for (var i = 0; i < done.Count && i < reply.Outcomes.Count; i++)
        {
            if (reply.Outcomes[i] == CompletionOutcome.Rejected)
            {
                logger.LogWarning("Worker {Worker}: the scheduler rejected the result of cell {CellId}: its lease is no longer this worker's", WorkerId, done[i].CellId);
            }
        }
    }

    private async Task<CellCompletion> RunOneAsync(CellLease lease)
    {
        var cts = held.TryGetValue(lease.Token, out var h) ? h.Cts : new CancellationTokenSource();
        IProgress<TrialProgress> progress = h?.Curve ?? new CurveBuffer(p => Volatile.Write(ref examplesPerSecond, p.ExamplesPerSecond));
        var clock = Stopwatch.StartNew();
        TrialResult result;
        using (var span = PeftGridTelemetry.Source.StartActivity("peftgrid.trial"))
        {
            span?.SetTag("peftgrid.cell_id", lease.CellId);
            span?.SetTag("peftgrid.worker", WorkerId);
            try
            {
                result = await Task.Run(() => runner.RunAsync(lease.Spec, WorkerOptions.TorchDevice(device), progress, cts.Token), CancellationToken.None);
            }
            catch (OperationCanceledException)
            {
                result = Failure(lease.Spec, TrialStatus.Cancelled, "cancelled");
            }
            catch (Exception e)
            {
                result = Failure(lease.Spec, TrialStatus.Failed, $"{e.GetType().Name}: {e.Message}");
            }
            span?.SetTag("peftgrid.status", result.Status.ToString());
        }
        held.TryRemove(lease.Token, out _);
        cts.Dispose();
        Interlocked.Increment(ref completed);
        if (result.ExamplesPerSecond > 0)
        {
            PeftGridTelemetry.ExamplesPerSecond.Record(result.ExamplesPerSecond);
        }
        return new CellCompletion { CellId = lease.CellId, Token = lease.Token, Result = result, WallSeconds = clock.Elapsed.TotalSeconds };
    }

    /// <summary>Heartbeats the held leases every third of the shortest lease (0.2–20 s) and reports this worker to its
    /// <see cref="IGpuWorkerGrain"/> about every 2 s — on a tick of at most a second, so the report (running cells, completed
    /// attempts, throughput) is never a whole heartbeat interval stale.</summary>
    private async Task HeartbeatLoopAsync(ISchedulerGrain scheduler, CancellationToken stop)
    {
        var lastReport = DateTime.MinValue;
        var lastBeat = DateTime.UtcNow;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(1.0, BeatSeconds(held.Values.ToList()))), stop);
                var snapshot = held.Values.ToList();
                if (snapshot.Count == 0)
                {
                    lastBeat = DateTime.UtcNow;
                }
                else if (DateTime.UtcNow - lastBeat >= TimeSpan.FromSeconds(BeatSeconds(snapshot)))
                {
                    lastBeat = DateTime.UtcNow;
                    var reply = await scheduler.HeartbeatAsync(WorkerId, snapshot.Select(h => new HeldLease { CellId = h.Lease.CellId, Token = h.Lease.Token }).ToList());
                    if (reply.Unregistered)
                    {
                        Volatile.Write(ref registered, 0);
                        await RegisterAsync(scheduler); // while busy, so the scheduler's waiting reasons count this worker
                    }
                    foreach (var id in reply.Cancel.Concat(reply.Lost))
                    {
                        foreach (var h in held.Values.Where(h => h.Lease.CellId == id))
                        {
                            await h.Cts.CancelAsync();
                        }
                    }
                }
                if (DateTime.UtcNow - lastReport > TimeSpan.FromSeconds(2))
                {
                    lastReport = DateTime.UtcNow;
                    await grains.GetGrain<IGpuWorkerGrain>(WorkerId).ReportAsync(new WorkerInfo
                    {
                        WorkerId = WorkerId, Device = device, Running = held.Values.Select(h => h.Lease.CellId).ToList(),
                        Completed = Completed, ExamplesPerSecond = held.IsEmpty ? 0 : Volatile.Read(ref examplesPerSecond), Capabilities = Capabilities, // 0 when idle (WorkerInfo)
                    });
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogDebug("Worker {Worker}: heartbeat failed: {Error}", WorkerId, e.Message);
            }
        }
    }

    /// <summary>Seconds between heartbeats: a third of the shortest held lease, within 0.2–20 s (1 s with none held).</summary>
    private static double BeatSeconds(List<Held> leases) =>
        leases.Count == 0 ? 1.0 : Math.Clamp(leases.Min(h => h.Lease.LeaseSeconds) / 3.0, 0.2, 20);

    /// <summary>Every <see cref="WorkerOptions.CurveReportMilliseconds"/>, sends each running lease's new curve points and progress
    /// to its experiment grain (the leases in parallel); never throws.</summary>
    private async Task CurveLoopAsync(CancellationToken stop)
    {
        if (options.CurveReportMilliseconds <= 0)
        {
            return;
        }
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.CurveReportMilliseconds, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            await Task.WhenAll(held.Values.Select(ReportCurveAsync));
        }
    }

    /// <summary>Sends one lease's points from the index the grain last returned (after a gap, from the grain's count).</summary>
    private async Task ReportCurveAsync(Held h)
    {
        var curve = h.Curve;
        if (curve.Sent < 0)
        {
            return;
        }
        var (points, progress, version) = curve.From(curve.Sent);
        if (version == curve.SentVersion || progress is null)
        {
            return;
        }
        var lease = h.Lease;
        try
        {
            var from = curve.Sent;
            var count = await grains.GetGrain<IExperimentGrain>(lease.CellId).ReportCurveAsync(new CurveReport
            {
                Token = lease.Token, Worker = WorkerId, Run = lease.Run, Attempt = lease.Attempt, Interruptions = lease.Interruptions,
                FromIndex = from, Points = points, Progress = progress,
            });
            curve.Sent = count;
            curve.SentVersion = count >= from + points.Count ? version : -1; // a gap: resend from the grain's count next time
        }
        catch (Exception e)
        {
            logger.LogDebug("Worker {Worker}: curve report of cell {CellId} failed: {Error}", WorkerId, lease.CellId, e.Message);
        }
    }

    /// <summary>On shutdown: reports finished and interrupted attempts so the scheduler requeues at once (bounded wait).
    /// The worker stays in the scheduler's registry until it times out (<c>WorkerRegistry.Timeout</c>).</summary>
    private async Task HandBackAsync(ISchedulerGrain scheduler, Queue<CellLease> local, List<CellCompletion> done)
    {
        foreach (var lease in local)
        {
            done.Add(new CellCompletion { CellId = lease.CellId, Token = lease.Token, Result = Failure(lease.Spec, TrialStatus.Cancelled, "worker stopped") });
            held.TryRemove(lease.Token, out _);
        }
        if (done.Count == 0)
        {
            return;
        }
        try
        {
            await scheduler.ExchangeAsync(WorkerId, done, 0).WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception e)
        {
            logger.LogWarning("Worker {Worker}: could not hand back {Count} cells at shutdown: {Error}", WorkerId, done.Count, e.Message);
        }
    }

    /// <summary>A lease this worker holds: its cancellation and its progress sink.</summary>
    private sealed record Held(CellLease Lease, CancellationTokenSource Cts, CurveBuffer Curve);

    private static TrialResult Failure(TrialSpec spec, TrialStatus status, string error) => new()
    {
        CellId = spec.CellId, Task = spec.Task, Model = spec.Model, Method = spec.Method, Seed = spec.Seed,
        BudgetTier = spec.BudgetPercent, Status = status, Error = error,
    };
}
