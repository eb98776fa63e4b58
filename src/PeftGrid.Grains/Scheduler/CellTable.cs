using PeftGrid.Contracts.Grid;
using PeftGrid.Contracts.Trials;

namespace PeftGrid.Grains.Scheduler;

/// <summary>
/// The scheduler's cells and sweeps in memory: every status transition goes through <see cref="SetStatus"/>, which keeps
/// the queue depth and every sweep's counters (<see cref="SweepCounters"/>) in step, so status queries never scan cells.
/// Pending cells sit in <see cref="CellQueues"/>. Each change calls the <c>touch</c> callback (the grain marks the cell's
/// chunk for the next write). Not thread-safe (the grain's turns serialize it).
/// </summary>
internal sealed class CellTable(Action<CellRecord> touch)
{
    private readonly CellQueues queue = new();

    /// <summary>Every cell by id.</summary>
    public Dictionary<string, CellRecord> Cells { get; } = new(StringComparer.Ordinal);

    /// <summary>Every sweep's counters by sweep id.</summary>
    public Dictionary<string, SweepCounters> Sweeps { get; } = new(StringComparer.Ordinal);

    /// <summary>Leaderboard keys of every cell.</summary>
    public SortedSet<string> Boards { get; } = new(StringComparer.Ordinal);

    /// <summary>Cells pending now.</summary>
    public int Pending { get; private set; }

    /// <summary>The cell <paramref name="id"/>, or null.</summary>
    public CellRecord? Find(string id) => Cells.GetValueOrDefault(id);

    /// <summary>Adds a cell in its current status (a Pending one is counted, not queued: call <see cref="Enqueue"/>).</summary>
    public void Add(CellRecord cell)
    {
        if (cell.Id.Length == 0)
        {
            cell.Id = cell.Spec.CellId;
        }
        cell.Run = Math.Max(1, cell.Run);
        cell.Need = CellNeed.Of(cell.Spec);
        cell.TierLabel = TierStatus.LabelOf(cell.Spec.BudgetPercent);
        Cells[cell.Id] = cell;
        Boards.Add(GrainKeys.Leaderboard(cell.Spec.Task, cell.Spec.Model));
        if (cell.Status == CellStatus.Pending)
        {
            Pending++;
        }
    }

    /// <summary>Adds (or returns) the counters of a sweep.</summary>
    public SweepCounters AddSweep(SweepRecord record)
    {
        if (!Sweeps.TryGetValue(record.Id, out var counters))
        {
            Sweeps[record.Id] = counters = new SweepCounters(record);
        }
        return counters;
    }

    /// <summary>Makes <paramref name="cell"/> a member of <paramref name="sweep"/> (idempotent); true if it was new to it.</summary>
    public static bool Join(SweepCounters sweep, CellRecord cell)
    {
        if (sweep.Members.Contains(cell.Id))
        {
            return false;
        }
        sweep.Record.CellIds.Add(cell.Id);
        sweep.Add(cell);
        return true;
    }

    /// <summary>Changes a cell's status, keeping the queue depth and its sweeps' counters in step.</summary>
    public void SetStatus(CellRecord cell, CellStatus status)
    {
        var old = cell.Status;
        if (old != status)
        {
            if (old == CellStatus.Pending)
            {
                Pending--;
            }
            else if (status == CellStatus.Pending)
            {
                Pending++;
            }
            foreach (var s in cell.Sweeps)
            {
                s.ByStatus[(int)old]--;
                s.ByStatus[(int)status]++;
                var tier = s.TierOf(cell).ByStatus;
                tier[(int)old]--;
                tier[(int)status]++;
                if (old == CellStatus.Pending || status == CellStatus.Pending)
                {
                    s.AddPending(cell.Need, old == CellStatus.Pending ? -1 : 1);
                }
            }
            cell.Status = status;
        }
        touch(cell);
    }

    /// <summary>Queues the cell (Pending, no lease token) at <paramref name="now"/>; any older queue entry of it goes stale.</summary>
    public void Enqueue(CellRecord cell, DateTime now)
    {
        SetStatus(cell, CellStatus.Pending);
        cell.Token = null;
        cell.QueuedAtUtc = now;
        queue.Enqueue(cell);
    }

    /// <summary>Queues a cell restored Pending on activation, keeping its queue time.</summary>
    public void Requeue(CellRecord cell) => queue.Enqueue(cell);

    /// <summary>Removes and returns the oldest pending cell whose need <paramref name="covers"/> accepts, or null.</summary>
    public CellRecord? TakeOldest(Func<CellNeed, bool> covers) => queue.TakeOldest(covers, Leasable);

    /// <summary>Sets a cell's interruption count, keeping its sweeps' totals in step.</summary>
    public void SetInterruptions(CellRecord cell, int interruptions)
    {
        foreach (var s in cell.Sweeps)
        {
            s.Interruptions += interruptions - cell.Interruptions;
        }
        cell.Interruptions = interruptions;
        touch(cell);
    }

    /// <summary>Counts one loss of the cell's recorded result, keeping its sweeps' totals in step.</summary>
    public void CountLost(CellRecord cell)
    {
        foreach (var s in cell.Sweeps)
        {
            s.Lost++;
        }
        cell.Lost++;
        touch(cell);
    }

    /// <summary>Sets a cell's wall time, keeping its sweeps' means in step.</summary>
    public static void SetWall(CellRecord cell, double seconds)
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

    /// <summary>Adds <paramref name="seconds"/> of compute to the cell's <see cref="CellRecord.SpentSeconds"/>, keeping its sweeps' sums in step.</summary>
    public void AddSpent(CellRecord cell, double seconds)
    {
        if (seconds <= 0 || !double.IsFinite(seconds))
        {
            return;
        }
        foreach (var s in cell.Sweeps)
        {
            s.SpentSum += seconds;
        }
        cell.SpentSeconds += seconds;
        touch(cell);
    }

    /// <summary>Marks the cell changed.</summary>
    public void Touch(CellRecord cell) => touch(cell);

    /// <summary>The cell of a queue entry if it can be leased now; null for a stale entry (cancelled, adopted, finished,
    /// or queued again since).</summary>
    private CellRecord? Leasable(string id, long seq) =>
        Cells.TryGetValue(id, out var cell) && cell.Status == CellStatus.Pending && cell.QueueSeq == seq ? cell : null;
}
