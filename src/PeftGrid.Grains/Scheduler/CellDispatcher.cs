using Microsoft.Extensions.Logging;
using PeftGrid.Contracts.Grid;
using PeftGrid.Contracts.Trials;
using PeftGrid.Grains.Telemetry;

namespace PeftGrid.Grains.Scheduler;

/// <summary>A result the scheduler took for a cell, to be made final by the <see cref="ResultSink"/>.</summary>
internal sealed record Final(CellRecord Cell, TrialResult Result, double Wall);

/// <summary>
/// The scheduler's rules for leases and completions, on a <see cref="CellTable"/> and a <see cref="LeaseBook"/>; no I/O.
/// <list type="bullet">
/// <item>Token rule: a completion or heartbeat counts only if its token is the cell's current lease token and that lease is
/// live. Anything else is <see cref="CompletionOutcome.Rejected"/> (logged, nothing changes). After a restart a cell not yet
/// leased by this activation (<see cref="CellRecord.Adoptable"/>) is adopted by the first worker quoting a token for it.</item>
/// <item>Interruptions (lease expired, a worker hand-back: <see cref="TrialStatus.Cancelled"/> not caused by a sweep cancel)
/// use no attempt up to the cell's <see cref="CellRecord.MaxInterruptions"/>; past it each one counts as a failed attempt.</item>
/// <item>A cell being finalized (<c>finalizing</c>) is Running with no lease: reports are duplicates, heartbeats are told it is lost.</item>
/// </list>
/// </summary>
/// <remarks><paramref name="expired"/> is told the worker of every lease that expires (the scheduler counts them per worker).</remarks>
internal sealed class CellDispatcher(CellTable table, LeaseBook leases, Func<string, bool> finalizing, ILogger logger, Action<string>? expired = null)
{
    /// <summary>Leases up to <paramref name="max"/> of the oldest pending cells <paramref name="covers"/> accepts to the worker.</summary>
    public List<CellLease> Lease(string workerId, int max, Func<CellNeed, bool> covers)
    {
        var granted = new List<CellLease>();
        if (max <= 0 || !leases.Leasing)
        {
            return granted;
        }
        while (granted.Count < max && table.TakeOldest(covers) is { } cell)
        {
            table.SetStatus(cell, CellStatus.Running);
            cell.Attempts++;
            cell.Worker = workerId;
            cell.Adoptable = false;
            cell.LeasedAtUtc = leases.Now;
            cell.Token = leases.Grant(cell.Id, workerId, cell.LeaseSeconds);
            granted.Add(new CellLease
            {
                CellId = cell.Id, Spec = cell.Spec, Token = cell.Token, Attempt = cell.Attempts, LeaseSeconds = cell.LeaseSeconds,
                Run = cell.Run, Interruptions = cell.Interruptions,
            });
        }
        return granted;
    }

    /// <summary>Extends the worker's live leases (or adopts restored cells); returns the cells to cancel and those it lost.</summary>
    public (List<string> Cancel, List<string> Lost) Heartbeat(string workerId, IReadOnlyList<HeldLease> held)
    {
        List<string> cancel = [], lost = [];
        foreach (var h in held)
        {
            var cell = table.Find(h.CellId);
            if (cell is null || cell.IsTerminal || finalizing(h.CellId))
            {
                lost.Add(h.CellId);
                continue;
            }
            if (cell.Token == h.Token && leases.Extend(h.Token, h.CellId, workerId, cell.LeaseSeconds))
            {
                cell.Worker = workerId;
                cell.Adoptable = false;
            }
            else if (cell.Adoptable)
            {
                Adopt(cell, workerId, h.Token);
            }
            else
            {
                logger.LogInformation("Heartbeat rejected: cell {CellId} from {Worker}: {Why}", h.CellId, workerId, Why(cell, h.Token));
                lost.Add(h.CellId);
                continue;
            }
            if (cell.CancelRequested)
            {
                cancel.Add(h.CellId);
            }
        }
        return (cancel, lost);
    }

    /// <summary>Takes one completion; <paramref name="final"/> is set when the cell's result is to be made final.</summary>
    public CompletionOutcome Complete(string workerId, CellCompletion c, out Final? final)
    {
        final = null;
        var cell = table.Find(c.CellId);
        if (cell is null)
        {
            return CompletionOutcome.Duplicate;
        }
        if (cell.IsTerminal || finalizing(c.CellId))
        {
            // A repeat of the report that made (or is making) the cell final is a duplicate; any other token is stale.
            if (c.Token == (cell.IsTerminal ? cell.FinalToken : cell.Token))
            {
                return CompletionOutcome.Duplicate;
            }
            logger.LogWarning("Completion rejected: cell {CellId} ({Status}) from {Worker}: the cell is already {CellStatus} under another lease", c.CellId, c.Result.Status, workerId, cell.Status);
            return CompletionOutcome.Rejected;
        }
        var holds = cell.Status == CellStatus.Running && cell.Token == c.Token && leases.Holds(c.Token, c.CellId);
        if (!holds)
        {
            if (!cell.Adoptable)
            {
                logger.LogWarning("Completion rejected: cell {CellId} ({Status}) from {Worker}: {Why}", c.CellId, c.Result.Status, workerId, Why(cell, c.Token));
                return CompletionOutcome.Rejected;
            }
            Adopt(cell, workerId, c.Token);
        }
        leases.Revoke(c.Token);
        table.AddSpent(cell, c.WallSeconds);
        PeftGridTelemetry.CellDuration.Record(c.WallSeconds);
        switch (c.Result.Status)
        {
            case TrialStatus.Cancelled when cell.CancelRequested:
                EndCancelled(cell);
                return CompletionOutcome.Requeued;
            case TrialStatus.Cancelled:
                return Interrupt(cell, $"worker {workerId} stopped and handed the cell back", workerId, out final);
            case TrialStatus.Failed when cell.Attempts < cell.MaxAttempts && !cell.CancelRequested:
                cell.Error = c.Result.Error;
                table.Enqueue(cell, leases.Now);
                logger.LogInformation("Cell {CellId} failed on {Worker} (attempt {Attempt}/{Max}): {Error}", c.CellId, workerId, cell.Attempts, cell.MaxAttempts, c.Result.Error);
                return CompletionOutcome.Retrying;
            default:
                final = new Final(cell, c.Result with { Worker = workerId }, c.WallSeconds);
                return CompletionOutcome.Accepted;
        }
    }

    /// <summary>Ends the leases whose deadline passed: each is an interruption of its cell; returns the cells that ran out of
    /// attempts (to be finalized Failed).</summary>
    public List<Final> Expire()
    {
        var finals = new List<Final>();
        foreach (var (token, lease) in leases.TakeExpired())
        {
            var cell = table.Find(lease.CellId);
            if (cell is null || cell.Token != token || cell.IsTerminal || finalizing(lease.CellId))
            {
                continue;
            }
            PeftGridTelemetry.LeaseExpiries.Add(1);
            expired?.Invoke(lease.WorkerId);
            Interrupt(cell, $"lease expired: worker {lease.WorkerId} missed its heartbeats", lease.WorkerId, out var final);
            if (final is not null)
            {
                finals.Add(final);
            }
        }
        return finals;
    }

    /// <summary>Restores an activation's cells: Running ones get their lease back (fresh deadline), Pending ones are queued;
    /// both are adoptable until this activation leases them. Unless <paramref name="grace"/> is false (cells merged from
    /// storage after a write conflict), new leases wait for a grace period of half the longest lease (1–30 s).</summary>
    public void Restore(IEnumerable<CellRecord> cellsByQueueTime, bool grace = true)
    {
        var maxLease = 0;
        foreach (var cell in cellsByQueueTime)
        {
            if (cell.Status == CellStatus.Pending)
            {
                table.Requeue(cell);
                cell.Adoptable = true;
            }
            else if (cell.Status == CellStatus.Running)
            {
                cell.Token ??= Guid.NewGuid().ToString("N");
                leases.Restore(cell.Id, cell.Token, cell.Worker ?? "?", cell.LeaseSeconds);
                cell.Adoptable = true;
            }
            if (!cell.IsTerminal)
            {
                maxLease = Math.Max(maxLease, cell.LeaseSeconds);
            }
        }
        if (maxLease > 0 && grace)
        {
            // Leases granted after the last write are unknown: give live workers time to heartbeat them back.
            leases.HoldLeasing(TimeSpan.FromSeconds(Math.Clamp(maxLease / 2.0, 1, 30)));
        }
    }

    /// <summary>
    /// One interruption of a running cell: counted; within the bound the attempt is given back and the cell queued
    /// (<see cref="CompletionOutcome.Requeued"/>); past it the attempt is used: queued again while attempts remain
    /// (<see cref="CompletionOutcome.Retrying"/>), else a Failed result (<see cref="CompletionOutcome.Accepted"/>).
    /// </summary>
    private CompletionOutcome Interrupt(CellRecord cell, string reason, string workerId, out Final? final)
    {
        final = null;
        leases.Revoke(cell.Token);
        table.SetInterruptions(cell, cell.Interruptions + 1);
        cell.Error = reason;
        logger.LogWarning("Cell {CellId} interrupted ({Interruptions}/{Bound}, attempt {Attempt}/{Max}): {Reason}",
            cell.Id, cell.Interruptions, cell.MaxInterruptions, cell.Attempts, cell.MaxAttempts, reason);
        if (cell.CancelRequested)
        {
            EndCancelled(cell);
            return CompletionOutcome.Requeued;
        }
        if (cell.Interruptions <= cell.MaxInterruptions)
        {
            cell.Attempts = Math.Max(0, cell.Attempts - 1);
            table.Enqueue(cell, leases.Now);
            return CompletionOutcome.Requeued;
        }
        if (cell.Attempts < cell.MaxAttempts)
        {
            table.Enqueue(cell, leases.Now);
            return CompletionOutcome.Retrying;
        }
        var spec = cell.Spec;
        final = new Final(cell, new TrialResult
        {
            CellId = cell.Id, Task = spec.Task, Model = spec.Model, Method = spec.Method, Seed = spec.Seed, BudgetTier = spec.BudgetPercent,
            Status = TrialStatus.Failed, Worker = workerId,
            Error = $"{reason} (interrupted {cell.Interruptions} times, more than the {cell.MaxInterruptions} allowed, on the last of {cell.MaxAttempts} attempts)",
        }, 0);
        table.SetStatus(cell, CellStatus.Running); // stays Running, without a lease, until the sink makes the result final
        return CompletionOutcome.Accepted;
    }

    private void EndCancelled(CellRecord cell)
    {
        leases.Revoke(cell.Token);
        table.SetStatus(cell, CellStatus.Cancelled);
        cell.Token = null;
        cell.FinishedAtUtc = leases.Now;
        cell.Ranked = true;
        PeftGridTelemetry.Cells.Add(1, new KeyValuePair<string, object?>("status", "cancelled"));
    }

    /// <summary>Takes over a cell restored after a restart for the worker quoting <paramref name="token"/>.</summary>
    private void Adopt(CellRecord cell, string workerId, string token)
    {
        leases.Revoke(cell.Token);
        if (cell.Status == CellStatus.Pending)
        {
            table.SetStatus(cell, CellStatus.Running);
            cell.Attempts++;
            cell.LeasedAtUtc = leases.Now;
        }
        cell.LeasedAtUtc ??= leases.Now;
        cell.Worker = workerId;
        cell.Token = token;
        cell.Adoptable = false;
        leases.Adopt(cell.Id, token, workerId, cell.LeaseSeconds);
        table.Touch(cell);
        logger.LogInformation("Cell {CellId} adopted by {Worker} after a scheduler restart", cell.Id, workerId);
    }

    private string Why(CellRecord cell, string token) =>
        cell.Status == CellStatus.Pending ? "the cell is queued again (its lease expired or was handed back)"
        : cell.Token != token ? "not the current lease token (a revoked lease or an older attempt)"
        : leases.Holds(token, cell.Id) ? "unknown" : "the lease expired";
}
