using System.Globalization;
using System.Text.Json;
using PeftGrid.Contracts.Grid;

namespace PeftGrid.Grains.Scheduler;

/// <summary>
/// The dashboard's reads of the scheduler's cells, on the in-memory <see cref="CellTable"/>: one cell as a
/// <see cref="CellInfo"/> (<see cref="Info"/>, the one mapping), a sweep's cells filtered, sorted and paged with their facets
/// (<see cref="Page"/>: one scan and one sort of the sweep's cells per query), its budget tiers (<see cref="Tiers"/>, from the
/// counters) and its compute and ETA (<see cref="Compute"/>, from the counters and the lease book). No I/O.
/// </summary>
internal static class CellQueries
{
    /// <summary>Largest page (<see cref="CellQuery.Limit"/>).</summary>
    public const int MaxLimit = 500;

    /// <summary>The cell as <see cref="CellInfo"/> at <paramref name="now"/>; <paramref name="waiting"/> is why a pending one waits.</summary>
    public static CellInfo Info(CellRecord c, DateTime now, string? waiting) => new()
    {
        CellId = c.Id, Spec = c.Spec, Status = c.Status, Attempts = c.Attempts, Error = c.Error, Worker = c.Worker,
        Waiting = c.Status == CellStatus.Pending ? waiting : null, Interruptions = c.Interruptions, Run = c.Run,
        Score = c.Score, Metric = c.Metric, Seconds = Seconds(c, now), StartedAtUtc = c.LeasedAtUtc, FinishedAtUtc = c.FinishedAtUtc,
    };

    /// <summary>A cell's duration: its accepted attempt's wall time when finished, how long the current attempt has run when
    /// running, else 0.</summary>
    public static double Seconds(CellRecord c, DateTime now) => c.Status switch
    {
        CellStatus.Running => c.LeasedAtUtc is { } at ? Math.Max(0, (now - at).TotalSeconds) : 0,
        CellStatus.Pending => 0,
        _ => c.WallSeconds,
    };

    /// <summary>One page of <paramref name="sweep"/>'s cells (see <see cref="CellQuery"/>); <paramref name="map"/> maps a row.</summary>
    /// <exception cref="ArgumentException">A limit outside 1–500 or a negative offset.</exception>
    public static CellPage Page(SweepCounters sweep, CellTable table, CellQuery q, DateTime now, Func<CellRecord, CellInfo> map)
    {
        ArgumentNullException.ThrowIfNull(q);
        if (q.Limit is < 1 or > MaxLimit)
        {
            throw new ArgumentException($"limit must be 1–{MaxLimit} (got {q.Limit})");
        }
        if (q.Offset < 0)
        {
            throw new ArgumentException($"offset must be ≥ 0 (got {q.Offset})");
        }
        var ids = sweep.Record.CellIds;
        var rows = new List<Row>();
        var facets = new Facets();
        for (var i = 0; i < ids.Count; i++)
        {
            if (table.Find(ids[i]) is not { } cell)
            {
                continue;
            }
            facets.Add(cell);
            if (Matches(cell, q))
            {
                rows.Add(RowOf(cell, i, q.Sort, now));
            }
        }
        if (q.Sort != CellSort.Order || q.Descending)
        {
            var (sort, descending) = (q.Sort, q.Descending);
            rows.Sort((a, b) => Compare(a, b, sort, descending));
        }
        var page = rows.Skip(q.Offset).Take(q.Limit).Select(r => map(r.Cell)).ToList();
        return new CellPage { SweepId = sweep.Record.Id, Matched = rows.Count, Total = facets.Cells, Offset = q.Offset, Rows = page, Facets = facets.Build() };
    }

    /// <summary>The sweep's cells per budget tier (ascending, explicit sizes last).</summary>
    public static List<TierStatus> Tiers(SweepCounters sweep) => sweep.Tiers
        .Select(kv => (Label: kv.Key, kv.Value.Tier, N: kv.Value.ByStatus))
        .Where(t => t.N.Sum() > 0)
        .OrderBy(t => t.Tier is null).ThenBy(t => t.Tier)
        .Select(t => new TierStatus
        {
            Tier = t.Tier, Label = t.Label, Total = t.N.Sum(),
            Pending = t.N[(int)CellStatus.Pending], Running = t.N[(int)CellStatus.Running], Succeeded = t.N[(int)CellStatus.Succeeded],
            Failed = t.N[(int)CellStatus.Failed], Diverged = t.N[(int)CellStatus.Diverged], Cancelled = t.N[(int)CellStatus.Cancelled],
        })
        .ToList();

    /// <summary>
    /// The sweep's compute (see <see cref="SweepStatus.ComputeSeconds"/>, <see cref="SweepStatus.RemainingComputeSeconds"/>,
    /// <see cref="SweepStatus.EtaSeconds"/>): reported attempts plus the leased cells' elapsed time; the pending cells and each
    /// running one's rest of the mean (never below 0) still to go; over <paramref name="liveWorkers"/> (at least one).
    /// </summary>
    public static (double Compute, double? Remaining, double? Eta) Compute(SweepCounters sweep, CellTable table, LeaseBook leases, int liveWorkers)
    {
        var now = leases.Now;
        double elapsed = 0, rest = 0;
        double? mean = sweep.WallCount == 0 ? null : sweep.WallSum / sweep.WallCount;
        foreach (var lease in leases.All.Values)
        {
            if (table.Find(lease.CellId) is { Status: CellStatus.Running } cell && sweep.Members.Contains(cell.Id))
            {
                var ran = Seconds(cell, now);
                elapsed += ran;
                rest += mean is { } m ? Math.Max(0, m - ran) : 0;
            }
        }
        var pending = sweep.ByStatus[(int)CellStatus.Pending];
        var running = sweep.ByStatus[(int)CellStatus.Running];
        double? remaining = mean is { } avg ? pending * avg + rest : null;
        double? eta = pending + running == 0 ? 0 : remaining / Math.Max(1, liveWorkers);
        return (sweep.SpentSum + elapsed, remaining, eta);
    }

    private static bool Matches(CellRecord c, CellQuery q)
    {
        var s = c.Spec;
        return (Blank(q.Task) || string.Equals(s.Task, q.Task, StringComparison.OrdinalIgnoreCase))
            && (Blank(q.Model) || string.Equals(s.Model, q.Model, StringComparison.OrdinalIgnoreCase))
            && (Blank(q.Method) || s.Method.Contains(q.Method!, StringComparison.OrdinalIgnoreCase))
            && (Blank(q.Tier) || string.Equals(c.TierLabel, q.Tier, StringComparison.OrdinalIgnoreCase))
            && (q.Seed is not { } seed || s.Seed == seed)
            && (q.Status is not { } status || c.Status == status)
            && (Blank(q.Text) || Contains(c.Id, q.Text!) || Contains(s.Method, q.Text!) || Contains(c.Worker, q.Text!) || Contains(c.Error, q.Text!));
    }

    private static bool Blank(string? s) => string.IsNullOrWhiteSpace(s);

    private static bool Contains(string? field, string text) => field is not null && field.Contains(text, StringComparison.OrdinalIgnoreCase);

    /// <summary>Missing values (explicit tier, no worker, no score) sort last in both directions; ties by submission order.</summary>
    private static int Compare(in Row a, in Row b, CellSort sort, bool descending)
    {
        if (a.Missing != b.Missing)
        {
            return a.Missing ? 1 : -1;
        }
        var c = a.Missing ? 0 : IsNumeric(sort) ? a.Key.CompareTo(b.Key) : Text(a.Cell, b.Cell, sort);
        if (descending)
        {
            c = -c;
        }
        return c != 0 ? c : a.Order.CompareTo(b.Order);
    }

    private static bool IsNumeric(CellSort sort) => sort is not (CellSort.Task or CellSort.Model or CellSort.Method or CellSort.Worker);

    /// <summary>The row of a matched cell: its numeric sort key (for numeric sorts) and whether the sorted value is missing.</summary>
    private static Row RowOf(CellRecord c, int order, CellSort sort, DateTime now) => sort switch
    {
        CellSort.Tier => new Row(c, order, c.Spec.BudgetPercent ?? 0, c.Spec.BudgetPercent is null),
        CellSort.Seed => new Row(c, order, c.Spec.Seed, false),
        CellSort.Status => new Row(c, order, (int)c.Status, false),
        CellSort.Attempts => new Row(c, order, c.Attempts, false),
        CellSort.Duration => new Row(c, order, Seconds(c, now), false),
        CellSort.Score => new Row(c, order, c.Score ?? 0, c.Score is not { } v || double.IsNaN(v)),
        CellSort.Worker => new Row(c, order, 0, c.Worker is null),
        _ => new Row(c, order, 0, false),
    };

    private static int Text(CellRecord x, CellRecord y, CellSort sort)
    {
        var text = StringComparer.OrdinalIgnoreCase;
        return sort switch
        {
            CellSort.Task => text.Compare(x.Spec.Task, y.Spec.Task) is var t and not 0 ? t : text.Compare(x.Spec.Model, y.Spec.Model),
            CellSort.Model => text.Compare(x.Spec.Model, y.Spec.Model),
            CellSort.Method => text.Compare(x.Spec.Method, y.Spec.Method),
            CellSort.Worker => text.Compare(x.Worker, y.Worker),
            _ => 0,
        };
    }

    /// <summary>A matched cell, its submission order, its numeric sort key and whether the sorted value is missing.</summary>
    private readonly record struct Row(CellRecord Cell, int Order, double Key, bool Missing);

    /// <summary>The values each filter can take in a sweep.</summary>
    private sealed class Facets
    {
        private readonly HashSet<string> tasks = new(StringComparer.OrdinalIgnoreCase), models = new(StringComparer.OrdinalIgnoreCase),
            methods = new(StringComparer.OrdinalIgnoreCase);
        private readonly HashSet<double?> tiers = [];
        private readonly HashSet<int> seeds = [];
        private readonly HashSet<CellStatus> statuses = [];

        public int Cells { get; private set; }

        public void Add(CellRecord c)
        {
            Cells++;
            tasks.Add(c.Spec.Task);
            models.Add(c.Spec.Model);
            methods.Add(c.Spec.Method);
            tiers.Add(c.Spec.BudgetPercent);
            seeds.Add(c.Spec.Seed);
            statuses.Add(c.Status);
        }

        public Dictionary<string, IReadOnlyList<string>> Build() => new(StringComparer.Ordinal)
        {
            ["task"] = tasks.Order(StringComparer.OrdinalIgnoreCase).ToList(),
            ["model"] = models.Order(StringComparer.OrdinalIgnoreCase).ToList(),
            ["method"] = methods.Order(StringComparer.OrdinalIgnoreCase).ToList(),
            ["tier"] = tiers.OrderBy(t => t is null).ThenBy(t => t).Select(TierStatus.LabelOf).ToList(),
            ["seed"] = seeds.Order().Select(s => s.ToString(CultureInfo.InvariantCulture)).ToList(),
            ["status"] = statuses.Order().Select(s => JsonNamingPolicy.CamelCase.ConvertName(s.ToString())).ToList(), // as the rows' JSON spells them
        };
    }
}
