using System.Globalization;
using PeftGrid.Contracts.Grid;
using Spectre.Console;

namespace PeftGrid.Cli.Sweeps;

/// <summary>Renders leaderboards as console tables, one per budget tier.</summary>
public static class LeaderboardTables
{
    /// <summary>Writes every tier of every board to the console: rank (<c>—</c> for a row with only diverged cells, never
    /// ranked), the configuration, its training profile when the board has more than one, mean ± std of the primary metric over the
    /// counted seeds and the means of the task's other metrics (e.g. R-1, R-L, R-Lsum beside ROUGE-2), each in its display scale,
    /// seeds (with duplicate seeds not counted), diverged cells, sizes, time and Pareto membership.</summary>
    public static void Print(IAnsiConsole console, IReadOnlyList<LeaderboardView> boards)
    {
        foreach (var board in boards)
        {
            if (board.Cells == 0)
            {
                console.MarkupLine($"[yellow]{Markup.Escape(board.Task)} / {Markup.Escape(board.Model)}: no results yet[/]");
                continue;
            }
            var profiles = board.Tiers.SelectMany(t => t.Rows).Select(r => r.Profile).Distinct(StringComparer.Ordinal).Count() > 1;
            var others = MetricLabels.Order(board.Task, board.Metric, board.Tiers.SelectMany(t => t.Rows).SelectMany(r => r.OtherMeans.Keys));
            foreach (var tier in board.Tiers)
            {
                var title = tier.Tier is { } t ? $"{t.ToString("0.###", CultureInfo.InvariantCulture)} % budget" : "own sizes";
                var table = new Table().Title($"{Markup.Escape(board.Task)} / {Markup.Escape(board.Model)} — {title}");
                table.AddColumns(profiles ? new[] { "#", "method", "profile" } : new[] { "#", "method" });
                table.AddColumns($"{Markup.Escape(MetricLabels.Label(board.Metric))} mean ± std");
                table.AddColumns(others.Select(m => Markup.Escape(MetricLabels.Short(m))).ToArray());
                table.AddColumns("seeds", "diverged", "paper #", "trainable #", "% (paper)", "train s", "pareto");
                foreach (var r in tier.Rows)
                {
                    var cells = new List<string> { r.Rank > 0 ? r.Rank.ToString(CultureInfo.InvariantCulture) : "—", Markup.Escape(MethodText(r)) };
                    if (profiles)
                    {
                        cells.Add(Markup.Escape(r.Profile));
                    }
                    cells.Add(Score(board.Metric, r));
                    cells.AddRange(others.Select(m => r.OtherMeans.TryGetValue(m, out var v) ? MetricLabels.Format(m, v) : "—"));
                    cells.AddRange([
                        Seeds(r), r.Diverged.ToString(CultureInfo.InvariantCulture), r.PaperCount.ToString("N0", CultureInfo.InvariantCulture),
                        r.TrainableCount.ToString("N0", CultureInfo.InvariantCulture), r.Percent.ToString("0.###", CultureInfo.InvariantCulture),
                        r.TrainSeconds.ToString("0.0", CultureInfo.InvariantCulture), r.Pareto ? "*" : ""]);
                    table.AddRow(cells.ToArray());
                }
                console.Write(table);
            }
        }
    }

    /// <summary>Mean ± std in the metric's display scale (<see cref="MetricLabels.Format"/>: accuracy in %, ROUGE/BLEU in points), the
    /// mean alone for one seed (no spread), <c>— (diverged)</c> for no finite seed.</summary>
    private static string Score(string metric, LeaderboardRow r) =>
        r.Seeds == 0 || !double.IsFinite(r.Mean) ? "— (diverged)"
        : r.Seeds > 1 ? $"{MetricLabels.Format(metric, r.Mean)} ± {MetricLabels.Format(metric, r.Std)}"
        : MetricLabels.Format(metric, r.Mean);

    /// <summary>Distinct seeds counted, and the entries left out because another cell of the row had the same seed.</summary>
    private static string Seeds(LeaderboardRow r) =>
        r.DuplicateSeeds > 0 ? string.Create(CultureInfo.InvariantCulture, $"{r.Seeds} (+{r.DuplicateSeeds} dup)") : r.Seeds.ToString(CultureInfo.InvariantCulture);

    /// <summary>The row's configuration in its canonical resolved form; the worker's resolution follows an arrow where it differs
    /// (a checkpoint path, whose free sizes only the worker can solve).</summary>
    private static string MethodText(LeaderboardRow r) =>
        r.ResolvedMethod.Length == 0 || r.ResolvedMethod == r.Method ? r.Method : $"{r.Method} → {r.ResolvedMethod}";
}
