using PeftGrid.Contracts.Grid;
using PeftGrid.Contracts.Trials;
using PeftGrid.Peft.Catalog;

namespace PeftGrid.Grains.Leaderboard;

/// <summary>The leaderboard's arithmetic: grouping by tier and method, mean ± sample std over seeds, ranks, Pareto front.</summary>
public static class LeaderboardMath
{
    /// <summary>Metrics tried in order as the primary metric when the task's own (<see cref="TaskEntry.PrimaryMetric"/>) is
    /// missing or the task is not in the catalog (higher is better for all of them).</summary>
    public static readonly IReadOnlyList<string> PrimaryMetrics = ["accuracy", "rouge2", "rougeL", "rouge1", "bleu"];

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

    /// <summary>The entry of a succeeded cell, or null if the result has no metric.</summary>
    public static LeaderboardEntry? ToEntry(TrialSpec spec, TrialResult result)
    {
        if (Primary(result.Metrics, spec.Task) is not { } metric)
        {
            return null;
        }
        return new LeaderboardEntry
        {
            CellId = spec.CellId, Task = spec.Task, Model = spec.Model,
            Method = CellIdentity.Method(spec.Method, spec.Model, spec.BudgetPercent), ResolvedMethod = result.Method,
            Tier = spec.BudgetPercent, Seed = spec.Seed, Score = metric.Value, Metric = metric.Name,
            PaperCount = result.Budget.PaperCount, TrainableCount = result.Budget.TrainableCount, Percent = result.Budget.Percent,
            TrainSeconds = result.TrainSeconds,
        };
    }

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

    /// <summary>Builds the view: one row per (tier, method) with mean ± std over seeds, ranked per tier; the Pareto front over all rows.</summary>
    public static LeaderboardView Build(string task, string model, IEnumerable<LeaderboardEntry> entries)
    {
        var list = entries.ToList();
        var rows = list.GroupBy(e => (e.Tier, e.Method)).Select(g => Row(g.Key.Method, g.Key.Tier, g.ToList())).ToList();
        return Assemble(task, model, list.FirstOrDefault()?.Metric ?? "accuracy", list.Count, rows);
    }

    /// <summary>The unranked row of one configuration from its entries (one per seed, in arrival order).</summary>
    public static LeaderboardRow Row(string method, double? tier, IReadOnlyList<LeaderboardEntry> group)
    {
        var scores = group.Select(e => e.Score).ToList();
        var first = group.OrderBy(e => e.Seed).First();
        return new LeaderboardRow
        {
            Method = method, ResolvedMethod = first.ResolvedMethod, Tier = tier, Mean = scores.Average(),
            Std = SampleStd(scores), Seeds = scores.Count, PaperCount = (long)Math.Round(group.Average(e => (double)e.PaperCount)),
            TrainableCount = (long)Math.Round(group.Average(e => (double)e.TrainableCount)), Percent = group.Average(e => e.Percent),
            TrainSeconds = group.Average(e => e.TrainSeconds),
        };
    }

    /// <summary>Ranks rows (in order of their configuration's first entry) per tier and marks the Pareto front.</summary>
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
                Rows = g.OrderByDescending(r => r.Mean).ThenBy(r => r.Percent).ThenBy(r => r.Method, StringComparer.Ordinal)
                        .Select((r, i) => r with { Rank = i + 1 }).ToList(),
            })
            .ToList();
        return new LeaderboardView
        {
            Task = task, Model = model, Metric = metric, Tiers = tiers, Cells = cells,
            Pareto = tiers.SelectMany(t => t.Rows).Where(r => r.Pareto).OrderBy(r => r.Percent).ThenByDescending(r => r.Mean).ToList(),
        };
    }

    /// <summary>Rows not dominated by another (≤ % and ≥ mean, one of them strictly).</summary>
    public static HashSet<LeaderboardRow> ParetoFront(IReadOnlyList<LeaderboardRow> rows) =>
        rows.Where(r => !rows.Any(o => !ReferenceEquals(o, r) && o.Percent <= r.Percent && o.Mean >= r.Mean && (o.Percent < r.Percent || o.Mean > r.Mean)))
            .ToHashSet();
}
