using System.Globalization;
using PeftGrid.Contracts.Grid;
using PeftGrid.Contracts.Trials;
using PeftGrid.Grains.Leaderboard;

namespace PeftGrid.Cli.Sweeps;

/// <summary>One cell that finished without a rankable score (<see cref="LeaderboardMath.IsDiverged(TrialResult)"/>): counted in its
/// leaderboard row's <see cref="LeaderboardRow.Diverged"/>, never ranked.</summary>
/// <param name="CellId">The cell id.</param>
/// <param name="Method">The resolved method spec the worker ran.</param>
/// <param name="Tier">Budget tier in %, null for explicit sizes.</param>
/// <param name="Seed">Seed.</param>
/// <param name="Reason">Why: the trainer's reason (e.g. <c>loss became NaN/inf at step 12</c>) or the non-finite primary score.</param>
public sealed record DivergedCell(string CellId, string Method, double? Tier, int Seed, string Reason);

/// <summary>What a finished sweep reports beside its leaderboards: the cells that failed and the cells that diverged.</summary>
public static class SweepSummary
{
    /// <summary>The diverged cells among <paramref name="results"/>, by cell id.</summary>
    public static IReadOnlyList<DivergedCell> Diverged(IReadOnlyList<TrialResult> results) =>
        results.Where(LeaderboardMath.IsDiverged).OrderBy(r => r.CellId, StringComparer.Ordinal)
            .Select(r => new DivergedCell(r.CellId, r.Method, r.BudgetTier, r.Seed, Reason(r))).ToList();

    /// <summary>One stderr line per failed cell of <paramref name="cells"/> and per diverged cell of <paramref name="results"/>, e.g.
    /// <c>peftgrid: diverged: cell 1f0c… (prefix, 0.5%, seed 1): loss became NaN/inf at step 12</c>.</summary>
    public static IEnumerable<string> ErrorLines(IReadOnlyList<CellInfo> cells, IReadOnlyList<TrialResult> results)
    {
        foreach (var failed in cells.Where(x => x.Status == CellStatus.Failed))
        {
            yield return $"peftgrid: failed: cell {failed.CellId} ({Describe(failed.Spec.Method, failed.Spec.BudgetPercent, failed.Spec.Seed)}): {failed.Error}";
        }
        var specs = cells.ToDictionary(c => c.CellId, c => c.Spec, StringComparer.Ordinal);
        foreach (var d in Diverged(results))
        {
            var method = specs.TryGetValue(d.CellId, out var spec) ? spec.Method : d.Method;
            yield return $"peftgrid: diverged: cell {d.CellId} ({Describe(method, d.Tier, d.Seed)}): {d.Reason}";
        }
    }

    private static string Describe(string method, double? tier, int seed) =>
        string.Create(CultureInfo.InvariantCulture, $"{method}, {(tier is { } t ? $"{t}%" : "own sizes")}, seed {seed}");

    private static string Reason(TrialResult r)
    {
        if (!string.IsNullOrWhiteSpace(r.Error))
        {
            return r.Error;
        }
        return LeaderboardMath.Primary(r.Metrics, r.Task) is { } p
            ? string.Create(CultureInfo.InvariantCulture, $"{p.Name} = {p.Value}")
            : "diverged (no metric reported)";
    }
}
