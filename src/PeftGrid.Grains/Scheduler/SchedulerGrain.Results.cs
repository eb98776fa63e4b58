using System.Diagnostics;
using Microsoft.Extensions.Logging;
using PeftGrid.Contracts.Grid;
using PeftGrid.Contracts.Trials;
using PeftGrid.Grains.Leaderboard;
using PeftGrid.Grains.Telemetry;

namespace PeftGrid.Grains.Scheduler;

public sealed partial class SchedulerGrain
{
    /// <summary>How often every finished cell's result is checked to still be in storage (also right after activation, in
    /// the background; and for a sweep's cells on its resubmission and on retry).</summary>
    public static readonly TimeSpan AuditInterval = TimeSpan.FromMinutes(5);

    /// <summary>Experiment grains verified in parallel by an audit.</summary>
    public const int AuditBatch = 256;

    private DateTime lastAuditUtc;
    private bool auditing;

    /// <summary>Makes the finalized cells terminal (their results are durable and ranked).</summary>
    private void Finish(List<Finalization> done)
    {
        foreach (var f in done)
        {
            var cell = f.Cell;
            if (cell.IsTerminal)
            {
                cell.Ranked = true; // a cell finished before a restart whose result had not reached its leaderboard
                table.Touch(cell);
                continue;
            }
            var status = f.Result.Status switch
            {
                TrialStatus.Succeeded => CellStatus.Succeeded,
                TrialStatus.Diverged => CellStatus.Diverged,
                _ => CellStatus.Failed,
            };
            leases.Revoke(cell.Token);
            table.SetStatus(cell, status);
            cell.FinalToken = cell.Token;
            cell.Token = null;
            cell.FinishedAtUtc = leases.Now;
            CellTable.SetWall(cell, f.Wall);
            cell.Worker = f.Result.Worker ?? cell.Worker;
            cell.Error = status == CellStatus.Succeeded ? null : f.Result.Error;
            var primary = LeaderboardMath.Primary(f.Result.Metrics, cell.Spec.Task);
            (cell.Score, cell.Metric) = (primary?.Value, primary?.Name);
            if (!f.Adopted && f.Result.Worker is { } worker)
            {
                workers.CountAccepted(worker);
            }
            cell.Attempts = f.Attempts;
            cell.Ranked = true;
            cell.Adoptable = false;
            var name = status.ToString().ToLowerInvariant();
            PeftGridTelemetry.Cells.Add(1, new KeyValuePair<string, object?>("status", name));
            using var span = PeftGridTelemetry.Source.StartActivity("peftgrid.cell", ActivityKind.Internal, default(ActivityContext), startTime: cell.QueuedAtUtc);
            span?.SetTag("peftgrid.cell_id", cell.Id);
            span?.SetTag("peftgrid.status", status.ToString());
            span?.SetTag("peftgrid.worker", cell.Worker);
            span?.SetTag("peftgrid.attempts", cell.Attempts);
        }
    }

    /// <summary>After a restart: cells whose result of their run is durable in their experiment grain are finished here
    /// too (through the sink, so they reach the leaderboard first).</summary>
    private async Task ReconcileAsync()
    {
        var open = table.Cells.Values.Where(c => !c.IsTerminal || !c.Ranked).ToList();
        var finals = new List<Finalization>();
        foreach (var chunk in open.Chunk(AuditBatch))
        {
            var snaps = await Task.WhenAll(chunk.Select(c => GrainFactory.GetGrain<IExperimentGrain>(c.Id).GetAsync()));
            for (var i = 0; i < chunk.Length; i++)
            {
                var (cell, snap) = (chunk[i], snaps[i]);
                if (snap.Result is not { } result || snap.Run < cell.Run)
                {
                    continue;
                }
                if (!cell.IsTerminal)
                {
                    leases.Revoke(cell.Token);
                    table.SetStatus(cell, CellStatus.Running); // finalizing: neither leasable nor adoptable
                    cell.Token = null;
                }
                finals.Add(new Finalization(cell, result, result.TrainSeconds) { Recorded = true, Adopted = true, Attempts = snap.Attempts });
            }
        }
        if (finals.Count > 0)
        {
            logger.LogInformation("Scheduler recovered {Count} finished cells from their experiment grains", finals.Count);
            Finish(await sink.TakeAsync(finals));
        }
    }

    /// <summary>Starts the periodic audit of every finished cell when <see cref="AuditInterval"/> has passed (in the
    /// background: the tick goes on expiring leases and writing meanwhile).</summary>
    private Task AuditPeriodicallyAsync()
    {
        if (!auditing && leases.Now - lastAuditUtc >= AuditInterval)
        {
            var why = lastAuditUtc == DateTime.MinValue ? "audit after activation" : "periodic audit";
            lastAuditUtc = leases.Now;
            _ = AuditAsync(table.Cells.Values.ToList(), why);
        }
        return Task.CompletedTask;
    }

    /// <summary>
    /// Checks that the finished cells among <paramref name="candidates"/> still have their result in storage
    /// (<see cref="IExperimentGrain.VerifyAsync"/>, <see cref="AuditBatch"/> at a time). A cell whose result is gone goes
    /// back to Pending for its run (attempts and interruptions reset), is counted in <see cref="SweepStatus.Lost"/>, logged
    /// as a warning naming it, and its leaderboard entry is removed. Returns the cells sent back; never throws (logged).
    /// </summary>
    private async Task<int> AuditAsync(IEnumerable<CellRecord> candidates, string why)
    {
        var list = candidates.Where(c => c.HasResult && !sink.Holds(c.Id)).ToList();
        if (list.Count == 0)
        {
            return 0;
        }
        auditing = true;
        var lost = new List<CellRecord>();
        try
        {
            foreach (var batch in list.Chunk(AuditBatch))
            {
                var runs = batch.Select(c => c.Run).ToArray();
                var present = await Task.WhenAll(batch.Select((c, i) => GrainFactory.GetGrain<IExperimentGrain>(c.Id).VerifyAsync(runs[i])));
                for (var i = 0; i < batch.Length; i++)
                {
                    if (!present[i] && batch[i].HasResult && batch[i].Run == runs[i] && !sink.Holds(batch[i].Id))
                    {
                        lost.Add(batch[i]);
                    }
                }
            }
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Audit of finished cells ({Why}) failed; will retry", why);
            lastAuditUtc = DateTime.MinValue;
        }
        finally
        {
            auditing = false;
        }
        if (lost.Count == 0)
        {
            return 0;
        }
        var now = leases.Now;
        foreach (var cell in lost)
        {
            table.CountLost(cell);
            Reset(cell, cell.Run);
            table.Enqueue(cell, now);
        }
        logger.LogWarning("{Count} finished cells lost their result from storage ({Why}); queued to run again: {Cells}",
            lost.Count, why, string.Join(", ", lost.Select(c => c.Id)));
        await RemoveFromLeaderboardsAsync(lost);
        return lost.Count;
    }

    /// <summary>Removes the leaderboard entries of cells whose result was lost (logged if a leaderboard cannot).</summary>
    private async Task RemoveFromLeaderboardsAsync(List<CellRecord> lost)
    {
        foreach (var board in lost.GroupBy(c => GrainKeys.Leaderboard(c.Spec.Task, c.Spec.Model)))
        {
            try
            {
                await GrainFactory.GetGrain<ILeaderboardGrain>(board.Key).RemoveAsync(board.Select(c => c.Id).ToList());
            }
            catch (Exception e)
            {
                logger.LogWarning("Could not remove {Count} lost cells from leaderboard {Board}: {Error}", board.Count(), board.Key, e.Message);
            }
        }
    }

    /// <summary>The <see cref="ResultSink"/>'s targets: the cells' experiment grains and leaderboards.</summary>
    private sealed class Targets(SchedulerGrain grain) : IResultTargets
    {
        public Task<bool> RecordAsync(CellRecord cell, TrialResult result) =>
            grain.GrainFactory.GetGrain<IExperimentGrain>(cell.Id).RecordAsync(cell.Spec, result, cell.Attempts, cell.Run);

        public Task<ExperimentSnapshot> GetAsync(string cellId) => grain.GrainFactory.GetGrain<IExperimentGrain>(cellId).GetAsync();

        public Task RankAsync(IReadOnlyList<Finalization> finished) => Task.WhenAll(finished
            .Where(f => f.Result.Status is TrialStatus.Succeeded or TrialStatus.Diverged)
            .Select(f => LeaderboardMath.ToEntry(f.Cell.Spec, f.Result) is { } e ? e with { Run = f.Cell.Run } : null)
            .OfType<LeaderboardEntry>()
            .GroupBy(e => GrainKeys.Leaderboard(e.Task, e.Model))
            .Select(g => grain.GrainFactory.GetGrain<ILeaderboardGrain>(g.Key).IngestAsync(g.ToList())));
    }
}
