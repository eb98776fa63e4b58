using System.Diagnostics;
using Microsoft.Extensions.Logging;
using PeftGrid.Contracts.Grid;
using PeftGrid.Contracts.Trials;
using PeftGrid.Grains.Leaderboard;
using PeftGrid.Grains.Telemetry;

namespace PeftGrid.Grains.Scheduler;

public sealed partial class SchedulerGrain
{
    /// <inheritdoc/>
    public Task RegisterWorkerAsync(string workerId, RunnerCapabilities capabilities)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workerId);
        ArgumentNullException.ThrowIfNull(capabilities);
        workers.Register(workerId, capabilities, DateTime.UtcNow);
        logger.LogInformation("Worker {Worker} registered: {Capabilities}", workerId, capabilities);
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public async Task<ExchangeReply> ExchangeAsync(string workerId, IReadOnlyList<CellCompletion> completions, int maxCells)
    {
        var known = workers.Touch(workerId, DateTime.UtcNow);
        var outcomes = new CompletionOutcome[completions.Count];
        var finals = new List<(int Index, CellRecord Cell, TrialResult Result, double Wall)>();
        for (var i = 0; i < completions.Count; i++)
        {
            var c = completions[i];
            outcomes[i] = Decide(workerId, c, out var cell);
            if (outcomes[i] == CompletionOutcome.Accepted && cell is not null)
            {
                finals.Add((i, cell, c.Result with { Worker = workerId }, c.WallSeconds));
            }
        }
        if (finals.Count > 0)
        {
            var accepted = await FinalizeAsync(finals.Select(f => (f.Cell, f.Result, f.Wall)).ToList());
            for (var k = 0; k < finals.Count; k++)
            {
                outcomes[finals[k].Index] = accepted[k] ? CompletionOutcome.Accepted : CompletionOutcome.Duplicate;
            }
        }
        var granted = new List<CellLease>();
        if (known && maxCells > 0 && DateTime.UtcNow >= leasingResumesAtUtc)
        {
            await ExpireLeasesAsync(force: false);
            var now = DateTime.UtcNow;
            while (granted.Count < maxCells && queue.TakeOldest(need => workers.Covers(workerId, need), Leasable) is { } cell)
            {
                var id = cell.Id;
                SetStatus(cell, CellStatus.Running);
                cell.Attempts++;
                cell.Worker = workerId;
                cell.Token = NewToken();
                leases[cell.Token] = new Lease { CellId = id, WorkerId = workerId, DeadlineUtc = now.AddSeconds(cell.LeaseSeconds) };
                granted.Add(new CellLease { CellId = id, Spec = cell.Spec, Token = cell.Token, Attempt = cell.Attempts, LeaseSeconds = cell.LeaseSeconds });
            }
        }
        return new ExchangeReply { Outcomes = outcomes, Leases = granted, Unregistered = !known };
    }

    /// <summary>The cell of a queue entry if it can be leased now; null for a stale entry (cancelled, adopted, finished,
    /// finalizing, or queued again since).</summary>
    private CellRecord? Leasable(string id, long seq) =>
        cells.TryGetValue(id, out var cell) && cell.Status == CellStatus.Pending && cell.QueueSeq == seq && !finalizing.Contains(id) ? cell : null;

    /// <inheritdoc/>
    public Task<HeartbeatReply> HeartbeatAsync(string workerId, IReadOnlyList<HeldLease> held)
    {
        var now = DateTime.UtcNow;
        var known = workers.Touch(workerId, now);
        List<string> cancel = [], lost = [];
        foreach (var h in held)
        {
            if (!cells.TryGetValue(h.CellId, out var cell) || cell.IsTerminal || finalizing.Contains(h.CellId))
            {
                lost.Add(h.CellId);
                continue;
            }
            if (leases.TryGetValue(h.Token, out var lease) && lease.CellId == h.CellId)
            {
                lease.WorkerId = workerId;
                lease.DeadlineUtc = now.AddSeconds(cell.LeaseSeconds);
                lease.Restored = false;
            }
            else if (cell.Status == CellStatus.Pending || (cell.Token is { } t && leases.TryGetValue(t, out var old) && old.Restored))
            {
                // Adopt a lease this scheduler forgot (granted after its last write, before a restart).
                if (cell.Token is { } stale)
                {
                    leases.Remove(stale);
                }
                SetStatus(cell, CellStatus.Running);
                cell.Worker = workerId;
                cell.Token = h.Token;
                leases[h.Token] = new Lease { CellId = h.CellId, WorkerId = workerId, DeadlineUtc = now.AddSeconds(cell.LeaseSeconds) };
            }
            else
            {
                lost.Add(h.CellId);
                continue;
            }
            if (cell.CancelRequested)
            {
                cancel.Add(h.CellId);
            }
        }
        return Task.FromResult(new HeartbeatReply { Cancel = cancel, Lost = lost, Unregistered = !known });
    }

    private CompletionOutcome Decide(string workerId, CellCompletion c, out CellRecord? cell)
    {
        if (!cells.TryGetValue(c.CellId, out cell) || cell.IsTerminal || finalizing.Contains(c.CellId))
        {
            cell = null;
            return CompletionOutcome.Duplicate;
        }
        var holds = cell.Token == c.Token || cell.Status == CellStatus.Pending;
        leases.Remove(c.Token);
        PeftGridTelemetry.CellDuration.Record(c.WallSeconds);
        if (c.Result.Status == TrialStatus.Cancelled)
        {
            if (cell.CancelRequested)
            {
                leases.Remove(cell.Token ?? "");
                SetStatus(cell, CellStatus.Cancelled);
                cell.FinishedAtUtc = DateTime.UtcNow;
                cell.Ranked = true;
                PeftGridTelemetry.Cells.Add(1, new KeyValuePair<string, object?>("status", "cancelled"));
                return CompletionOutcome.Requeued;
            }
            if (holds)
            {
                cell.Attempts = Math.Max(0, cell.Attempts - 1);
                Enqueue(cell, DateTime.UtcNow);
            }
            return CompletionOutcome.Requeued;
        }
        if (c.Result.Status == TrialStatus.Failed && cell.Attempts < cell.MaxAttempts && !cell.CancelRequested)
        {
            cell.Error = c.Result.Error;
            Touch(cell);
            if (holds)
            {
                Enqueue(cell, DateTime.UtcNow);
            }
            logger.LogInformation("Cell {CellId} failed on {Worker} (attempt {Attempt}/{Max}): {Error}", c.CellId, workerId, cell.Attempts, cell.MaxAttempts, c.Result.Error);
            return CompletionOutcome.Retrying;
        }
        return CompletionOutcome.Accepted;
    }

    /// <summary>
    /// Makes results final: durable in the experiment grain first, then on the leaderboard, then terminal here — so a
    /// sweep whose status says complete has every result on its leaderboard. The cells stay in <c>finalizing</c>
    /// throughout: a duplicate report meanwhile is rejected, a heartbeat is told the lease is gone.
    /// </summary>
    private async Task<bool[]> FinalizeAsync(IReadOnlyList<(CellRecord Cell, TrialResult Result, double Wall)> finals)
    {
        foreach (var f in finals)
        {
            finalizing.Add(f.Cell.Id);
        }
        try
        {
            var accepted = await Task.WhenAll(finals.Select(f =>
                GrainFactory.GetGrain<IExperimentGrain>(f.Cell.Id).RecordAsync(f.Cell.Spec, f.Result, f.Cell.Attempts)));
            var results = finals.Select(f => f.Result).ToArray();
            var walls = finals.Select(f => f.Wall).ToArray();
            var final = (bool[])accepted.Clone();
            // A cell whose experiment grain already holds a result (recorded before a restart) ends with that result.
            var adopt = Enumerable.Range(0, finals.Count).Where(i => !accepted[i] && !finals[i].Cell.IsTerminal).ToList();
            if (adopt.Count > 0)
            {
                var snaps = await Task.WhenAll(adopt.Select(i => GrainFactory.GetGrain<IExperimentGrain>(finals[i].Cell.Id).GetAsync()));
                for (var k = 0; k < adopt.Count; k++)
                {
                    if (snaps[k].Result is { } recorded)
                    {
                        var i = adopt[k];
                        (results[i], walls[i], final[i]) = (recorded, recorded.TrainSeconds, true);
                        finals[i].Cell.Attempts = snaps[k].Attempts;
                    }
                }
            }
            var toRank = new List<(CellRecord, TrialResult)>();
            for (var i = 0; i < finals.Count; i++)
            {
                if (final[i] && !finals[i].Cell.IsTerminal)
                {
                    toRank.Add((finals[i].Cell, results[i]));
                }
            }
            var ranked = await TryRankAsync(toRank);
            var now = DateTime.UtcNow;
            for (var i = 0; i < finals.Count; i++)
            {
                var (cell, result, wall) = (finals[i].Cell, results[i], walls[i]);
                if (cell.Token is { } token)
                {
                    leases.Remove(token);
                }
                if (cell.IsTerminal || !final[i])
                {
                    accepted[i] = false;
                    continue;
                }
                var status = result.Status is TrialStatus.Succeeded or TrialStatus.Diverged ? CellStatus.Succeeded : CellStatus.Failed;
                SetStatus(cell, status);
                cell.Token = null;
                cell.FinishedAtUtc = now;
                SetWall(cell, wall);
                cell.Worker = result.Worker ?? cell.Worker;
                cell.Error = status == CellStatus.Failed ? result.Error : null;
                cell.Ranked = ranked;
                if (!ranked)
                {
                    unranked.Add((cell, result));
                }
                PeftGridTelemetry.Cells.Add(1, new KeyValuePair<string, object?>("status", status == CellStatus.Succeeded ? "succeeded" : "failed"));
                using var span = PeftGridTelemetry.Source.StartActivity("peftgrid.cell", ActivityKind.Internal, default(ActivityContext), startTime: cell.QueuedAtUtc);
                span?.SetTag("peftgrid.cell_id", cell.Id);
                span?.SetTag("peftgrid.status", status.ToString());
                span?.SetTag("peftgrid.worker", cell.Worker);
                span?.SetTag("peftgrid.attempts", cell.Attempts);
            }
            return accepted;
        }
        finally
        {
            foreach (var f in finals)
            {
                finalizing.Remove(f.Cell.Id);
            }
        }
    }

    /// <summary>Sends the succeeded results to their leaderboards; false (logged) if a leaderboard could not take them.</summary>
    private async Task<bool> TryRankAsync(IReadOnlyList<(CellRecord Cell, TrialResult Result)> finished)
    {
        try
        {
            var tasks = finished
                .Where(f => f.Result.Status is TrialStatus.Succeeded)
                .Select(f => LeaderboardMath.ToEntry(f.Cell.Spec, f.Result))
                .OfType<LeaderboardEntry>()
                .GroupBy(e => GrainKeys.Leaderboard(e.Task, e.Model))
                .Select(g => GrainFactory.GetGrain<ILeaderboardGrain>(g.Key).IngestAsync(g.ToList()))
                .ToList();
            await Task.WhenAll(tasks);
            return true;
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Could not send {Count} results to their leaderboards; will retry", finished.Count);
            return false;
        }
    }

    /// <summary>Retries the leaderboard for terminal cells whose results did not reach it.</summary>
    private async Task RetryRankingAsync()
    {
        if (unranked.Count == 0 || retryingRanks)
        {
            return;
        }
        retryingRanks = true;
        try
        {
            var batch = unranked.ToList();
            unranked.Clear();
            await RankOrDeferAsync(batch);
        }
        finally
        {
            retryingRanks = false;
        }
    }

    /// <summary>Sends terminal cells' results to their leaderboards: marks them ranked on success, else keeps them in
    /// <c>unranked</c> for <see cref="RetryRankingAsync"/>.</summary>
    private async Task RankOrDeferAsync(List<(CellRecord Cell, TrialResult Result)> finished)
    {
        if (await TryRankAsync(finished))
        {
            foreach (var (cell, _) in finished)
            {
                cell.Ranked = true;
                Touch(cell);
            }
        }
        else
        {
            unranked.AddRange(finished);
        }
    }

    private async Task ExpireLeasesAsync(bool force)
    {
        var now = DateTime.UtcNow;
        if (leases.Count == 0 || (!force && now - lastExpiryScanUtc < TimeSpan.FromMilliseconds(100)) || now < leasingResumesAtUtc)
        {
            return;
        }
        lastExpiryScanUtc = now;
        var expired = leases.Where(l => l.Value.DeadlineUtc < now).ToList();
        var exhausted = new List<(CellRecord, TrialResult, double)>();
        foreach (var (token, lease) in expired)
        {
            leases.Remove(token);
            var cell = cells[lease.CellId];
            if (cell.Token != token || cell.IsTerminal || finalizing.Contains(lease.CellId))
            {
                continue;
            }
            PeftGridTelemetry.LeaseExpiries.Add(1);
            cell.Error = $"lease expired: worker {lease.WorkerId} missed its heartbeats";
            Touch(cell);
            logger.LogWarning("Cell {CellId}: lease of {Worker} expired (attempt {Attempt}/{Max})", lease.CellId, lease.WorkerId, cell.Attempts, cell.MaxAttempts);
            if (cell.CancelRequested)
            {
                SetStatus(cell, CellStatus.Cancelled);
                cell.FinishedAtUtc = now;
                cell.Ranked = true;
            }
            else if (cell.Attempts < cell.MaxAttempts)
            {
                Enqueue(cell, now);
            }
            else
            {
                var spec = cell.Spec;
                exhausted.Add((cell, new TrialResult
                {
                    CellId = cell.Id, Task = spec.Task, Model = spec.Model, Method = spec.Method, Seed = spec.Seed,
                    BudgetTier = spec.BudgetPercent, Status = TrialStatus.Failed, Error = cell.Error, Worker = lease.WorkerId,
                }, 0));
            }
        }
        if (exhausted.Count > 0)
        {
            await FinalizeAsync(exhausted);
        }
    }

    /// <summary>After a restart: cells whose result is durable in their experiment grain are finished here too.</summary>
    private async Task ReconcileAsync()
    {
        var open = cells.Values.Where(c => !c.IsTerminal || !c.Ranked).ToList();
        var recovered = new List<(CellRecord, TrialResult)>();
        foreach (var chunk in open.Chunk(256))
        {
            var snaps = await Task.WhenAll(chunk.Select(c => GrainFactory.GetGrain<IExperimentGrain>(c.Id).GetAsync()));
            for (var i = 0; i < chunk.Length; i++)
            {
                var (cell, snap) = (chunk[i], snaps[i]);
                if (snap.Result is not { } result)
                {
                    continue;
                }
                if (!cell.IsTerminal)
                {
                    if (cell.Token is { } token)
                    {
                        leases.Remove(token);
                    }
                    SetStatus(cell, result.Status is TrialStatus.Succeeded or TrialStatus.Diverged ? CellStatus.Succeeded : CellStatus.Failed);
                    cell.Token = null;
                    cell.Attempts = snap.Attempts;
                    cell.FinishedAtUtc = snap.AcceptedAtUtc;
                    cell.Worker = result.Worker;
                    cell.Error = result.Error;
                    SetWall(cell, result.TrainSeconds);
                }
                recovered.Add((cell, result));
            }
        }
        if (recovered.Count > 0)
        {
            logger.LogInformation("Scheduler recovered {Count} finished cells from their experiment grains", recovered.Count);
            await RankOrDeferAsync(recovered);
        }
    }
}
