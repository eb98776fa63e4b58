using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using PeftGrid.Contracts.Grid;
using PeftGrid.Contracts.Trials;
using PeftGrid.Grains.Scheduler;

namespace PeftGrid.Grains.Tests.Scheduler;

/// <summary>The scheduler's plain parts wired as the grain wires them, on fake time, with a logger that keeps its lines.</summary>
internal sealed class SchedulerParts
{
    public SchedulerParts(int maxAttempts = 2, int maxInterruptions = 3, int leaseSeconds = 10)
    {
        (MaxAttempts, MaxInterruptions, LeaseSeconds) = (maxAttempts, maxInterruptions, leaseSeconds);
        Table = new CellTable(c => Touched.Add(c.Id));
        Leases = new LeaseBook(Time);
        Dispatcher = new CellDispatcher(Table, Leases, id => Finalizing.Contains(id), Log, Workers.CountExpiry);
        Sweep = Table.AddSweep(new SweepRecord { Id = "s" });
    }

    public int MaxAttempts { get; }
    public int MaxInterruptions { get; }
    public int LeaseSeconds { get; }
    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    public ListLogger Log { get; } = new();
    public HashSet<string> Touched { get; } = [];
    public HashSet<string> Finalizing { get; } = [];
    public CellTable Table { get; }
    public WorkerRegistry Workers { get; } = new();
    public LeaseBook Leases { get; }
    public CellDispatcher Dispatcher { get; }
    public SweepCounters Sweep { get; }

    /// <summary>Adds <paramref name="n"/> pending cells to sweep "s" and returns them.</summary>
    public List<CellRecord> Add(int n, string model = "m")
    {
        var cells = new List<CellRecord>();
        for (var i = 0; i < n; i++)
        {
            var spec = new TrialSpec { Task = "sst2", Model = model, Method = "lora-attn", BudgetPercent = 0.5, Seed = Table.Cells.Count };
            var cell = new CellRecord { Id = spec.CellId, Spec = spec, MaxAttempts = MaxAttempts, MaxInterruptions = MaxInterruptions, LeaseSeconds = LeaseSeconds };
            Table.Add(cell);
            Table.Enqueue(cell, Leases.Now);
            CellTable.Join(Sweep, cell);
            cells.Add(cell);
        }
        return cells;
    }

    /// <summary>Adds a pending cell of <paramref name="spec"/> to sweep "s".</summary>
    public CellRecord AddSpec(TrialSpec spec)
    {
        var cell = new CellRecord { Id = spec.CellId, Spec = spec, MaxAttempts = MaxAttempts, MaxInterruptions = MaxInterruptions, LeaseSeconds = LeaseSeconds };
        Table.Add(cell);
        Table.Enqueue(cell, Leases.Now);
        CellTable.Join(Sweep, cell);
        return cell;
    }

    /// <summary>Makes the cell final as the grain's <c>Finish</c> does (status, wall time, score, finish time).</summary>
    public void Finish(CellRecord cell, CellStatus status, double wall, double? score = null)
    {
        Leases.Revoke(cell.Token);
        Table.SetStatus(cell, status);
        cell.FinalToken = cell.Token;
        cell.Token = null;
        cell.FinishedAtUtc = Leases.Now;
        CellTable.SetWall(cell, wall);
        (cell.Score, cell.Metric) = (score, score is null ? null : "accuracy");
    }

    public List<CellLease> Lease(string worker, int n = 1) => Dispatcher.Lease(worker, n, _ => true);

    public CompletionOutcome Complete(string worker, CellLease lease, TrialStatus status, out Final? final) =>
        Dispatcher.Complete(worker, new CellCompletion { CellId = lease.CellId, Token = lease.Token, Result = Result(lease.Spec, status) }, out final);

    public CompletionOutcome Complete(string worker, CellLease lease, TrialStatus status) => Complete(worker, lease, status, out _);

    public static TrialResult Result(TrialSpec spec, TrialStatus status, double accuracy = 0.9) => new()
    {
        CellId = spec.CellId, Task = spec.Task, Model = spec.Model, Method = spec.Method, Seed = spec.Seed, BudgetTier = spec.BudgetPercent,
        Status = status, Error = status == TrialStatus.Succeeded ? null : $"{status}",
        Metrics = new Dictionary<string, double> { ["accuracy"] = accuracy },
    };

    /// <summary>Counts of sweep "s" by status: (pending, running, succeeded, failed, cancelled, diverged).</summary>
    public (int, int, int, int, int, int) Counts()
    {
        var n = Sweep.ByStatus;
        return (n[0], n[1], n[2], n[3], n[4], n[5]);
    }
}

/// <summary>A logger that keeps every line (level and formatted message).</summary>
internal sealed class ListLogger : ILogger
{
    public List<(LogLevel Level, string Message)> Lines { get; } = [];

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (Lines)
        {
            Lines.Add((logLevel, formatter(state, exception)));
        }
    }
}
