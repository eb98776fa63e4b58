using System.Collections.Concurrent;
using PeftGrid.Contracts.Grid;
using PeftGrid.Contracts.Trials;
using PeftGrid.Peft.Catalog;

namespace PeftGrid.Grains.Leaderboard;

/// <summary>
/// The leaderboard's arithmetic: rows keyed by (tier, canonical method, training profile), mean ± sample std over distinct
/// seeds of finite scores, ranks, Pareto front. A diverged entry (<see cref="IsDiverged(LeaderboardEntry)"/>) is counted in
/// <see cref="LeaderboardRow.Diverged"/> and never reaches a mean, std, rank or the front.
/// </summary>
public static class LeaderboardMath
{
    /// <summary>Metrics tried in order as the primary metric when the task's own (<see cref="TaskEntry.PrimaryMetric"/>) is
    /// missing or the task is not in the catalog (higher is better for all of them).</summary>
    public static readonly IReadOnlyList<string> PrimaryMetrics = ["accuracy", "rouge2", "rougeL", "rouge1", "bleu"];

    /// <summary>Bound on <see cref="ToEntry"/>'s cache of canonical methods (a grid has a few dozen (method, model, tier)
    /// combinations; past the bound the cache is cleared and refilled).</summary>
    public const int MethodCacheCapacity = 1024;

    private static readonly ConcurrentDictionary<(string Method, string Model, double? Tier), string> MethodCache = new();

    /// <summary>The primary metric of a result of <paramref name="task"/>, or null if it has none: the catalog's primary metric
    /// of the task, else the first of <see cref="PrimaryMetrics"/>, else the first by name.</summary>
    public static (string Name, double Value)? Primary(IReadOnlyDictionary<string, double> metrics, string? task = null)
    {
        if (TaskCatalog.TryFind(task)?.PrimaryMetric is { } own && metrics.TryGetValue(own, out var value))
        {
            return (own, value);
        }
        foreach (var name in PrimaryMetrics)
        {
            if (metrics.TryGetValue(name, out var v))
            {
                return (name, v);
            }
        }
        return metrics.Count == 0 ? null : metrics.OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => (m.Key, m.Value)).First();
    }

    /// <summary>
    /// The entry of a finished cell: for a <see cref="TrialStatus.Succeeded"/> result with a primary metric, and for every
    /// <see cref="TrialStatus.Diverged"/> one. <see cref="LeaderboardEntry.Diverged"/> is set for a Diverged status or a
    /// non-finite (NaN, ±Inf) primary score, and the score of a diverged entry is stored as NaN. Null for any other status
    /// and for a succeeded result without metrics (nothing to rank). <see cref="LeaderboardEntry.Run"/> is left at 1 (the
    /// scheduler sets the cell's run). The canonical method (<see cref="CellIdentity.Method"/>, which may solve a budget) is
    /// cached per (method, model, tier), bounded by <see cref="MethodCacheCapacity"/>, and the cell id is the result's
    /// (<see cref="TrialResult.CellId"/>, which the scheduler matched to the cell) rather than a re-hash of
    /// <see cref="TrialSpec.CellId"/> (which re-solves the budget): a call on the result path costs microseconds, not a budget solve.
    /// </summary>
    public static LeaderboardEntry? ToEntry(TrialSpec spec, TrialResult result)
    {
        if (result.Status is not (TrialStatus.Succeeded or TrialStatus.Diverged))
        {
            return null;
        }
        var primary = Primary(result.Metrics, spec.Task);
        if (primary is null && result.Status is TrialStatus.Succeeded)
        {
            return null;
        }
        var score = primary?.Value ?? double.NaN;
        var diverged = result.Status is TrialStatus.Diverged || !double.IsFinite(score);
        return new LeaderboardEntry
        {
            CellId = result.CellId, Task = spec.Task, Model = spec.Model,
            Method = CanonicalMethod(spec.Method, spec.Model, spec.BudgetPercent), ResolvedMethod = result.Method,
            Tier = spec.BudgetPercent, Seed = spec.Seed, Score = diverged ? double.NaN : score,
            Metric = primary?.Name ?? TaskCatalog.TryFind(spec.Task)?.PrimaryMetric ?? PrimaryMetrics[0],
            PaperCount = result.Budget.PaperCount, TrainableCount = result.Budget.TrainableCount, Percent = result.Budget.Percent,
            TrainSeconds = result.TrainSeconds, Profile = ProfileKey(spec), Diverged = diverged,
            OtherMetrics = Others(result.Metrics, primary?.Name, spec.Task),
        };
    }

    /// <summary>The metrics of <paramref name="metrics"/> but <paramref name="primary"/> that are the task's
    /// (<see cref="TaskEntry.Metrics"/>; every metric when <paramref name="task"/> is not in the catalog), by name in ordinal order,
    /// for <see cref="LeaderboardEntry.OtherMetrics"/>; the shared empty map when there is none.</summary>
    public static IReadOnlyDictionary<string, double> Others(IReadOnlyDictionary<string, double> metrics, string? primary, string? task = null)
    {
        var own = TaskCatalog.TryFind(task)?.Metrics;
        var others = metrics.Where(m => m.Key != primary && (own is null || own.Contains(m.Key)))
            .OrderBy(m => m.Key, StringComparer.Ordinal).ToList();
        return others.Count == 0 ? LeaderboardMetrics.None : others.ToDictionary(m => m.Key, m => m.Value, StringComparer.Ordinal);
    }

    /// <summary>Per metric name, the mean over <paramref name="counted"/> of <see cref="LeaderboardEntry.OtherMetrics"/>: a metric is
    /// kept only when every counted entry reports it with a finite value (a mean over fewer seeds than <see cref="LeaderboardRow.Mean"/>
    /// would not be comparable with it).</summary>
    public static IReadOnlyDictionary<string, double> OtherMeans(IReadOnlyList<LeaderboardEntry> counted)
    {
        if (counted.Count == 0)
        {
            return LeaderboardMetrics.None;
        }
        var names = counted[0].OtherMetrics.Keys
            .Where(k => counted.All(e => e.OtherMetrics.TryGetValue(k, out var v) && double.IsFinite(v)))
            .Order(StringComparer.Ordinal).ToList();
        return names.Count == 0 ? LeaderboardMetrics.None
            : names.ToDictionary(k => k, k => counted.Average(e => e.OtherMetrics[k]), StringComparer.Ordinal);
    }

    /// <summary>The row-key profile of a cell: its training profile's canonical text, plus <c>;data=</c> and 8 hex digits of
    /// SHA-256 of its data identity (<see cref="TrialSpec.Data"/>) when it has one — so cells trained on different data are
    /// different rows, never seeds of one row.</summary>
    /// <param name="spec">The cell.</param>
    public static string ProfileKey(TrialSpec spec) => spec.Data.Length == 0
        ? spec.Profile.Canonical()
        : spec.Profile.Canonical() + ";data=" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(spec.Data)))[..8];

    /// <summary>True when a result counts as diverged on the leaderboard (what <see cref="ToEntry"/> marks
    /// <see cref="LeaderboardEntry.Diverged"/>): status <see cref="TrialStatus.Diverged"/>, or Succeeded with a NaN or ±Inf
    /// primary score.</summary>
    public static bool IsDiverged(TrialResult result) =>
        result.Status is TrialStatus.Diverged
        || (result.Status is TrialStatus.Succeeded && Primary(result.Metrics, result.Task) is { } p && !double.IsFinite(p.Value));

    /// <summary>True when the entry cannot be ranked: flagged diverged, or its score is NaN or ±Inf (an entry stored by
    /// older code or built by hand).</summary>
    public static bool IsDiverged(LeaderboardEntry e) => e.Diverged || !double.IsFinite(e.Score);

    /// <summary>The row key of an entry: (tier, canonical method, training profile).</summary>
    public static (double? Tier, string Method, string Profile) RowKey(LeaderboardEntry e) => (e.Tier, e.Method, e.Profile);

    /// <summary>Sample standard deviation (n − 1 denominator); 0 for fewer than two values.</summary>
    public static double SampleStd(IReadOnlyList<double> values)
    {
        if (values.Count < 2)
        {
            return 0;
        }
        var mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
    }

    /// <summary>Builds the view: one row per <see cref="RowKey"/> with mean ± std over distinct seeds, ranked per tier; the
    /// Pareto front over the ranked rows. <paramref name="entries"/> in arrival order (it decides duplicate seeds).</summary>
    public static LeaderboardView Build(string task, string model, IEnumerable<LeaderboardEntry> entries)
    {
        var list = entries.ToList();
        var rows = list.GroupBy(RowKey).Select(g => Row(g.Key.Method, g.Key.Tier, g.Key.Profile, g.ToList())).ToList();
        return Assemble(task, model, Metric(list), list.Count, rows);
    }

    /// <summary>The metric name of a board: that of its first finite entry, else of its first entry, else <c>accuracy</c>.</summary>
    public static string Metric(IEnumerable<LeaderboardEntry> entries)
    {
        LeaderboardEntry? first = null;
        foreach (var e in entries)
        {
            if (!IsDiverged(e))
            {
                return e.Metric;
            }
            first ??= e;
        }
        return first?.Metric ?? PrimaryMetrics[0];
    }

    /// <summary>
    /// The unranked row of one configuration from its entries (in arrival order). Diverged entries only count in
    /// <see cref="LeaderboardRow.Diverged"/>. Finite entries count once per distinct seed: of two entries with one seed
    /// (different cells of one configuration, e.g. after the data changed) the higher <see cref="LeaderboardEntry.Run"/>
    /// wins, then the later arrival; the others are counted in <see cref="LeaderboardRow.DuplicateSeeds"/>. A row without a
    /// finite entry has <see cref="LeaderboardRow.Seeds"/> 0 and NaN mean and std; its sizes come from its diverged cells.
    /// </summary>
    public static LeaderboardRow Row(string method, double? tier, string profile, IReadOnlyList<LeaderboardEntry> group)
    {
        var bySeed = new Dictionary<int, LeaderboardEntry>();
        var diverged = 0;
        var duplicates = 0;
        foreach (var e in group)
        {
            if (IsDiverged(e))
            {
                diverged++;
            }
            else if (bySeed.TryGetValue(e.Seed, out var prior))
            {
                duplicates++;
                if (e.Run >= prior.Run)
                {
                    bySeed[e.Seed] = e;
                }
            }
            else
            {
                bySeed[e.Seed] = e;
            }
        }
        var counted = bySeed.Values.OrderBy(e => e.Seed).ToList();
        var source = counted.Count > 0 ? counted : group.OrderBy(e => e.Seed).ToList();
        var scores = counted.Select(e => e.Score).ToList();
        return new LeaderboardRow
        {
            Method = method, ResolvedMethod = source.Count > 0 ? source[0].ResolvedMethod : "", Tier = tier, Profile = profile,
            Mean = scores.Count > 0 ? scores.Average() : double.NaN, Std = scores.Count > 0 ? SampleStd(scores) : double.NaN,
            Seeds = scores.Count, Diverged = diverged, DuplicateSeeds = duplicates, OtherMeans = OtherMeans(counted),
            PaperCount = (long)Math.Round(Average(source, e => e.PaperCount)),
            TrainableCount = (long)Math.Round(Average(source, e => e.TrainableCount)),
            Percent = Average(source, e => e.Percent), TrainSeconds = Average(source, e => e.TrainSeconds),
        };
    }

    /// <summary>True when a row has a finite mean over at least one seed: it is ranked and may be on the Pareto front.</summary>
    public static bool IsRanked(LeaderboardRow r) => r.Seeds > 0 && double.IsFinite(r.Mean);

    /// <summary>Ranks the ranked rows (<see cref="IsRanked"/>) per tier by mean (then %, method, profile) and marks the
    /// Pareto front; rows with only diverged cells follow their tier's ranking with rank 0, never on the front.</summary>
    public static LeaderboardView Assemble(string task, string model, string metric, int cells, IReadOnlyList<LeaderboardRow> unranked)
    {
        var front = ParetoFront(unranked);
        var rows = unranked.Select(r => r with { Pareto = front.Contains(r) }).ToList();
        var tiers = rows
            .GroupBy(r => r.Tier)
            .OrderBy(g => g.Key is null ? 1 : 0).ThenBy(g => g.Key ?? 0)
            .Select(g => new LeaderboardTier
            {
                Tier = g.Key,
                Rows = g.Where(IsRanked)
                        .OrderByDescending(r => r.Mean).ThenBy(r => r.Percent)
                        .ThenBy(r => r.Method, StringComparer.Ordinal).ThenBy(r => r.Profile, StringComparer.Ordinal)
                        .Select((r, i) => r with { Rank = i + 1 })
                        .Concat(g.Where(r => !IsRanked(r))
                                 .OrderBy(r => r.Method, StringComparer.Ordinal).ThenBy(r => r.Profile, StringComparer.Ordinal)
                                 .Select(r => r with { Rank = 0 }))
                        .ToList(),
            })
            .ToList();
        return new LeaderboardView
        {
            Task = task, Model = model, Metric = metric, Tiers = tiers, Cells = cells,
            Pareto = tiers.SelectMany(t => t.Rows).Where(r => r.Pareto).OrderBy(r => r.Percent).ThenByDescending(r => r.Mean).ToList(),
        };
    }

    /// <summary>Ranked rows (<see cref="IsRanked"/>, finite %) not dominated by another ranked row (≤ % and ≥ mean, one of
    /// them strictly).</summary>
    public static HashSet<LeaderboardRow> ParetoFront(IReadOnlyList<LeaderboardRow> rows)
    {
        var ranked = rows.Where(r => IsRanked(r) && double.IsFinite(r.Percent)).ToList();
        return ranked
            .Where(r => !ranked.Any(o => !ReferenceEquals(o, r) && o.Percent <= r.Percent && o.Mean >= r.Mean && (o.Percent < r.Percent || o.Mean > r.Mean)))
            .ToHashSet();
    }

    private static double Average(IReadOnlyList<LeaderboardEntry> entries, Func<LeaderboardEntry, double> value) =>
        entries.Count == 0 ? 0 : entries.Average(value);

    private static string CanonicalMethod(string method, string model, double? tier)
    {
        var key = (method, model, tier);
        if (MethodCache.TryGetValue(key, out var canonical))
        {
            return canonical;
        }
        canonical = CellIdentity.Method(method, model, tier);
        if (MethodCache.Count >= MethodCacheCapacity)
        {
            MethodCache.Clear();
        }
        MethodCache[key] = canonical;
        return canonical;
    }
}
