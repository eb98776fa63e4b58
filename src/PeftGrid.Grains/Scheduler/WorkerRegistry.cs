using PeftGrid.Contracts.Grid;
using PeftGrid.Contracts.Trials;

namespace PeftGrid.Grains.Scheduler;

/// <summary>
/// The workers registered with the scheduler: what each one's runner can execute and when it was last heard from
/// (registration, exchange or heartbeat). In memory only: after a restart the scheduler tells each worker it does
/// not know it, and the worker registers again.
/// </summary>
internal sealed class WorkerRegistry
{
    /// <summary>A worker not heard from for this long no longer counts for <see cref="Gap"/> (idle workers poll every
    /// fraction of a second, busy ones heartbeat at least every 20 s).</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(1);

    private readonly Dictionary<string, Worker> workers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (int Expiries, int Accepted)> counts = new(StringComparer.Ordinal);

    /// <summary>Registers or replaces <paramref name="workerId"/>'s capabilities.</summary>
    public void Register(string workerId, RunnerCapabilities capabilities, DateTime now) =>
        workers[workerId] = new Worker(capabilities) { LastSeenUtc = now };

    /// <summary>Marks the worker heard from; false if it is not registered.</summary>
    public bool Touch(string workerId, DateTime now)
    {
        if (!workers.TryGetValue(workerId, out var worker))
        {
            return false;
        }
        worker.LastSeenUtc = now;
        return true;
    }

    /// <summary>Workers heard from within <see cref="Timeout"/>.</summary>
    public int LiveCount(DateTime now) => workers.Values.Count(w => now - w.LastSeenUtc <= Timeout);

    /// <summary>True if the registered worker can run cells needing <paramref name="need"/> (answer cached per need).</summary>
    public bool Covers(string workerId, CellNeed need)
    {
        if (!workers.TryGetValue(workerId, out var worker))
        {
            return false;
        }
        if (!worker.Covers.TryGetValue(need.Key, out var covers))
        {
            worker.Covers[need.Key] = covers = worker.Capabilities.Covers(need);
        }
        return covers;
    }

    /// <summary>
    /// Why no live worker can run cells needing <paramref name="need"/> (<c>no worker runs task xsum</c>, <c>no worker
    /// runs model roberta-base</c>, …, with the reason of unavailable workers), or null if one can.
    /// </summary>
    public string? Gap(CellNeed need, DateTime now)
    {
        var live = workers.Values.Where(w => now - w.LastSeenUtc <= Timeout).Select(w => w.Capabilities).ToList();
        if (live.Any(c => c.Covers(need)))
        {
            return null;
        }
        var available = live.Where(c => c.Unavailable is null).ToList();
        var reason = live.Count == 0 ? "no worker is registered"
            : !available.Any(c => c.RunsTask(need.Task)) ? $"no worker runs task {need.Task}"
            : !available.Any(c => c.RunsModel(need)) ? need.CheckpointPath ? "no worker loads checkpoint folders" : $"no worker runs model {need.Model}"
            : $"no worker runs task {need.Task} with model {need.Model}";
        var unavailable = live.Select(c => c.Unavailable).OfType<string>().ToList();
        return unavailable.Count == 0 ? reason : $"{reason} ({unavailable.Count} unavailable: {unavailable[0]})";
    }

    /// <summary>Counts a lease of <paramref name="workerId"/> that expired.</summary>
    public void CountExpiry(string workerId)
    {
        var c = counts.GetValueOrDefault(workerId);
        counts[workerId] = (c.Expiries + 1, c.Accepted);
    }

    /// <summary>Counts a result of <paramref name="workerId"/> the scheduler accepted.</summary>
    public void CountAccepted(string workerId)
    {
        var c = counts.GetValueOrDefault(workerId);
        counts[workerId] = (c.Expiries, c.Accepted + 1);
    }

    /// <summary>The registered workers (live first, then by id); <paramref name="running"/> gives the cells leased to each now.</summary>
    public List<WorkerStatus> List(DateTime now, Func<string, IReadOnlyList<string>> running) => workers
        .Select(kv =>
        {
            var (id, w) = (kv.Key, kv.Value);
            var slash = id.LastIndexOf('/');
            var c = counts.GetValueOrDefault(id);
            return new WorkerStatus
            {
                WorkerId = id, Silo = slash < 0 ? "" : id[..slash],
                Device = w.Capabilities.Devices.FirstOrDefault() ?? (slash < 0 ? "" : id[(slash + 1)..]),
                LastSeenUtc = w.LastSeenUtc, Live = now - w.LastSeenUtc <= Timeout, Running = running(id),
                LeaseExpiries = c.Expiries, Accepted = c.Accepted, Unavailable = w.Capabilities.Unavailable,
            };
        })
        .OrderByDescending(w => w.Live).ThenBy(w => w.WorkerId, StringComparer.Ordinal)
        .ToList();

    private sealed class Worker(RunnerCapabilities capabilities)
    {
        public RunnerCapabilities Capabilities { get; } = capabilities;
        public DateTime LastSeenUtc { get; set; }
        public Dictionary<string, bool> Covers { get; } = new(StringComparer.Ordinal);
    }
}
