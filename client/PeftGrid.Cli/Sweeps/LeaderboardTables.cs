using System.Globalization;
using PeftGrid.Contracts.Grid;
using Spectre.Console;

namespace PeftGrid.Cli.Sweeps;

/// <summary>Renders leaderboards as console tables, one per budget tier.</summary>
public static class LeaderboardTables
{
    /// <summary>Writes every tier of every board to the console.</summary>
    public static void Print(IAnsiConsole console, IReadOnlyList<LeaderboardView> boards)
    {
        foreach (var board in boards)
        {
            if (board.Cells == 0)
            {
                console.MarkupLine($"[yellow]{Markup.Escape(board.Task)} / {Markup.Escape(board.Model)}: no results yet[/]");
                continue;
            }
            foreach (var tier in board.Tiers)
            {
                var title = tier.Tier is { } t ? $"{t.ToString("0.###", CultureInfo.InvariantCulture)} % budget" : "own sizes";
                var table = new Table().Title($"{Markup.Escape(board.Task)} / {Markup.Escape(board.Model)} — {title}")
                    .AddColumns("#", "method", $"{Markup.Escape(board.Metric)} (mean ± std)", "seeds", "paper #", "trainable #", "% (paper)", "train s", "pareto");
                foreach (var r in tier.Rows)
                {
                    table.AddRow(
                        r.Rank.ToString(CultureInfo.InvariantCulture), Markup.Escape(MethodText(r)),
                        r.Seeds > 1 ? string.Create(CultureInfo.InvariantCulture, $"{100 * r.Mean:0.00} ± {100 * r.Std:0.00}") : string.Create(CultureInfo.InvariantCulture, $"{100 * r.Mean:0.00}"), // no spread from one seed
                        r.Seeds.ToString(CultureInfo.InvariantCulture), r.PaperCount.ToString("N0", CultureInfo.InvariantCulture),
                        r.TrainableCount.ToString("N0", CultureInfo.InvariantCulture), r.Percent.ToString("0.###", CultureInfo.InvariantCulture),
                        r.TrainSeconds.ToString("0.0", CultureInfo.InvariantCulture), r.Pareto ? "*" : "");
                }
                console.Write(table);
            }
        }
    }

    /// <summary>The row's configuration in its canonical resolved form; the worker's resolution follows an arrow where it differs
    /// (a checkpoint path, whose free sizes only the worker can solve).</summary>
    private static string MethodText(LeaderboardRow r) =>
        r.ResolvedMethod.Length == 0 || r.ResolvedMethod == r.Method ? r.Method : $"{r.Method} → {r.ResolvedMethod}";
}
