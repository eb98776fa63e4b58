using Microsoft.Extensions.Logging;
using PeftGrid.Contracts.Grid;
using PeftGrid.Grains.Telemetry;

namespace PeftGrid.Grains.Scheduler;

public sealed partial class SchedulerGrain
{
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
        var policy = request.Policy;
        if (policy.MaxAttempts < 1 || policy.LeaseSeconds < 1)
        {
            throw new ArgumentException($"sweep '{request.SweepId}': maxAttempts and leaseSeconds must be ≥ 1 (got {policy.MaxAttempts}, {policy.LeaseSeconds})");
        }
        if (policy.MaxInterruptions < 0)
        {
            throw new ArgumentException($"sweep '{request.SweepId}': maxInterruptions must be ≥ 0 (got {policy.MaxInterruptions})");
        }
        var now = leases.Now;
        if (!table.Sweeps.TryGetValue(request.SweepId, out var counters))
        {
            var record = new SweepRecord { Id = request.SweepId, Name = request.Name, SubmittedAtUtc = now };
            State.Sweeps[request.SweepId] = record;
            counters = table.AddSweep(record);
        }
        counters.Record.Cancelled = false;
        metaDirty = true;
        int added = 0, existing = 0, requeued = 0;
        var refused = new List<RefusedCell>();
        var known = new List<CellRecord>();
        foreach (var spec in request.Cells)
        {
            var id = spec.CellId;
            if (admission.Refusal(spec) is { } reason)
            {
                refused.Add(new RefusedCell { CellId = id, Spec = spec, Reason = reason });
                continue;
            }
            if (table.Find(id) is { } cell)
            {
                if (cell.Status == CellStatus.Cancelled)
                {
                    Reset(cell, cell.Run);
                    table.Enqueue(cell, now);
                    requeued++;
                }
                else
                {
                    known.Add(cell);
                    existing++;
                }
            }
            else
            {
                cell = new CellRecord
                {
                    Id = id, Spec = spec, MaxAttempts = policy.MaxAttempts, LeaseSeconds = policy.LeaseSeconds,
                    MaxInterruptions = policy.MaxInterruptions,
                };
                AddCell(cell);
                table.Enqueue(cell, now);
                added++;
            }
            CellTable.Join(counters, cell);
        }
        var knownRefusals = counters.Record.Refused.Select(r => r.CellId).ToHashSet(StringComparer.Ordinal);
        counters.Record.Refused.AddRange(refused.Where(r => !knownRefusals.Contains(r.CellId)));
        await FlushAsync();
        logger.LogInformation("Sweep {SweepId}: {Added} added, {Existing} existing, {Requeued} requeued, {Refused} refused", request.SweepId, added, existing, requeued, refused.Count);
        // Resubmission runs only missing cells: finished cells whose result is gone from storage go back to Pending.
        var lost = await AuditAsync(known, $"resubmission of sweep {request.SweepId}");
        return new SubmitResult { SweepId = request.SweepId, Added = added, Existing = existing - lost, Requeued = requeued + lost, Refused = refused };
    }

    /// <inheritdoc/>
    public async Task<SweepStatus> CancelAsync(string sweepId)
    {
        var sweep = Find(sweepId);
        sweep.Record.Cancelled = true;
        metaDirty = true;
        var now = leases.Now;
        foreach (var id in sweep.Record.CellIds)
        {
            if (table.Find(id) is not { } cell)
            {
                continue;
            }
            if (cell.Status == CellStatus.Pending)
            {
                table.SetStatus(cell, CellStatus.Cancelled);
                cell.FinishedAtUtc = now;
                cell.Ranked = true;
                PeftGridTelemetry.Cells.Add(1, new KeyValuePair<string, object?>("status", "cancelled"));
            }
            else if (cell.Status == CellStatus.Running)
            {
                cell.CancelRequested = true;
                table.Touch(cell);
            }
        }
        await FlushAsync();
        return StatusOf(sweep);
    }

    /// <inheritdoc/>
    public async Task<RetryResult> RetryAsync(string sweepId, RetryRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var sweep = Find(sweepId);
        var lost = await AuditAsync(sweep.Record.CellIds.Select(table.Find).OfType<CellRecord>().ToList(), $"retry of sweep {sweepId}");
        var both = !request.Failed && !request.Diverged;
        int failed = 0, diverged = 0;
        var now = leases.Now;
        foreach (var id in sweep.Record.CellIds)
        {
            if (table.Find(id) is not { } cell || sink.Holds(id))
            {
                continue;
            }
            var rerun = cell.Status switch
            {
                CellStatus.Failed when both || request.Failed => ++failed > 0,
                CellStatus.Diverged when both || request.Diverged => ++diverged > 0,
                _ => false,
            };
            if (rerun)
            {
                Reset(cell, cell.Run + 1);
                table.Enqueue(cell, now);
            }
        }
        if (failed + diverged > 0)
        {
            sweep.Record.Cancelled = false;
            metaDirty = true;
            await FlushAsync();
        }
        logger.LogInformation("Sweep {SweepId}: retrying {Failed} failed and {Diverged} diverged cells as a new run", sweepId, failed, diverged);
        return new RetryResult { SweepId = sweepId, Failed = failed, Diverged = diverged, Lost = lost };
    }

    /// <summary>Clears a finished or cancelled cell for another go as run <paramref name="run"/> (the caller queues it).</summary>
    private void Reset(CellRecord cell, int run)
    {
        cell.Run = run;
        cell.Attempts = 0;
        table.SetInterruptions(cell, 0);
        cell.CancelRequested = false;
        cell.Error = null;
        cell.Ranked = false;
        cell.FinishedAtUtc = null;
        (cell.Score, cell.Metric, cell.LeasedAtUtc) = (null, null, null);
        CellTable.SetWall(cell, 0);
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
        table.Add(cell);
    }
}
