using PeftGrid.Contracts.Trials;

namespace PeftGrid.Grains.Scheduler;

/// <summary>
/// The pending cells, one FIFO queue per <see cref="CellNeed"/> (task and model), so a worker takes the oldest cell it
/// can run without scanning cells it cannot. Entries are never removed when a cell leaves the pending state; they
/// are dropped as stale when they reach a queue's head. In memory only (rebuilt from the cells on activation).
/// </summary>
internal sealed class CellQueues
{
    private readonly Dictionary<string, NeedQueue> queues = new(StringComparer.Ordinal);
    private long sequence;

    /// <summary>Appends the cell to its need's queue and stamps <see cref="CellRecord.QueueSeq"/>, which makes any older entry of it stale.</summary>
    public void Enqueue(CellRecord cell)
    {
        cell.QueueSeq = ++sequence;
        if (!queues.TryGetValue(cell.Need.Key, out var queue))
        {
            queues[cell.Need.Key] = queue = new NeedQueue(cell.Need);
        }
        queue.Entries.Enqueue((cell.Id, cell.QueueSeq));
    }

    /// <summary>Removes and returns the oldest cell (by enqueue order) of the queues whose need <paramref name="eligible"/> accepts,
    /// or null if none. <paramref name="live"/> returns the cell of an entry (id, sequence) if it can still be leased, else null.</summary>
    public CellRecord? TakeOldest(Func<CellNeed, bool> eligible, Func<string, long, CellRecord?> live)
    {
        NeedQueue? best = null;
        CellRecord? oldest = null;
        List<string>? drained = null;
        foreach (var (key, queue) in queues)
        {
            if (!eligible(queue.Need))
            {
                continue;
            }
            CellRecord? head = null;
            while (queue.Entries.TryPeek(out var e) && (head = live(e.Id, e.Seq)) is null)
            {
                queue.Entries.Dequeue();
            }
            if (head is null)
            {
                (drained ??= []).Add(key);
            }
            else if (oldest is null || head.QueueSeq < oldest.QueueSeq)
            {
                (best, oldest) = (queue, head);
            }
        }
        drained?.ForEach(k => queues.Remove(k));
        best?.Entries.Dequeue();
        return oldest;
    }

    private sealed class NeedQueue(CellNeed need)
    {
        public CellNeed Need { get; } = need;
        public Queue<(string Id, long Seq)> Entries { get; } = new();
    }
}
