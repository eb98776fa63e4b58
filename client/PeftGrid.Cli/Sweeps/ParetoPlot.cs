using PeftGrid.Contracts.Grid;
using PeftGrid.Grains.Leaderboard;
using PeftGrid.Peft.Catalog;
using PeftGrid.Peft.Specs;
using ScottPlot;

namespace PeftGrid.Cli.Sweeps;

/// <summary>Score vs % parameters (log x), one series per leaderboard, the Pareto front joined — like the paper's Figures 2 and 4.</summary>
public static class ParetoPlot
{
    /// <summary>
    /// Saves a 900×600 PNG to <paramref name="path"/>: one colour per method family (<see cref="MethodSpec.PresetName"/>: its seeds' mean at each budget it ran), one
    /// marker shape per family (per leaderboard when several task / model boards are drawn), exact ties spread sideways,
    /// the Pareto front dashed and labelled with its methods. Rows without a finite score (only diverged cells) are not drawn.
    /// </summary>
    public static void Save(string path, IReadOnlyList<LeaderboardView> boards)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        var methods = boards.SelectMany(Drawable).Select(r => MethodSpec.PresetName(r.Method)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        MarkerShape[] shapes = [MarkerShape.FilledCircle, MarkerShape.FilledSquare, MarkerShape.FilledTriangleUp, MarkerShape.FilledDiamond, MarkerShape.FilledTriangleDown];
        var drawn = boards.Where(b => Drawable(b).Any()).ToList();
        for (var bi = 0; bi < drawn.Count; bi++)
        {
            var board = drawn[bi];
            var rows = Drawable(board).ToList();
            var x = Dodge(rows);
            foreach (var group in rows.GroupBy(r => MethodSpec.PresetName(r.Method), StringComparer.Ordinal))
            {
                var points = plot.Add.ScatterPoints(group.Select(r => x[r]).ToArray(), group.Select(r => Y(board, r)).ToArray());
                var m = methods.IndexOf(group.Key);
                points.Color = palette.GetColor(m).WithAlpha(0.8); // near-ties stay visible through each other
                // One board: the shape tells methods apart where colours are close; several boards: the shape is the board.
                points.MarkerShape = shapes[(drawn.Count > 1 ? bi : m) % shapes.Length];
                points.MarkerSize = 9;
                points.LegendText = drawn.Count > 1 ? $"{group.Key} ({board.Task} / {board.Model})" : group.Key;
            }
            var front = board.Pareto.Where(IsDrawable).OrderBy(r => r.Percent).ToList();
            if (front.Count > 1)
            {
                var line = plot.Add.ScatterLine(front.Select(r => Math.Log10(r.Percent)).ToArray(), front.Select(r => Y(board, r)).ToArray());
                line.Color = Colors.Gray;
                line.LinePattern = LinePattern.Dashed;
            }
            foreach (var r in front)
            {
                var label = plot.Add.Text(r.Method, Math.Log10(r.Percent), Y(board, r));
                label.LabelFontSize = 11;
                label.LabelOffsetX = 6;
                label.LabelOffsetY = -18;
            }
        }
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
            IntegerTicksOnly = true,
            LabelFormatter = v => $"{Math.Pow(10, v):0.###}%",
        };
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { LabelFormatter = v => v.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture) };
        plot.XLabel("parameters fine-tuned (paper count, % of the model, log scale)");
        plot.YLabel(YLabel(boards));
        plot.Title("PeftGrid: score vs % parameters (dashed: Pareto front)");
        plot.ShowLegend(Alignment.LowerRight);
        plot.SavePng(path, 900, 600);
    }

    /// <summary>A row's y: its mean in the board metric's display scale (<see cref="TaskCatalog.Display"/>).</summary>
    private static double Y(LeaderboardView board, LeaderboardRow r) => TaskCatalog.Display(board.Metric, r.Mean);

    /// <summary>The y-axis label: the metric with its unit (<see cref="MetricLabels.Label"/>, e.g. <c>ROUGE-2 (F×100)</c>, <c>BLEU</c>,
    /// <c>accuracy (%)</c>) of the drawn boards; their labels joined with " / " when they rank by different metrics.</summary>
    public static string YLabel(IReadOnlyList<LeaderboardView> boards)
    {
        var metrics = boards.Where(b => b.Cells > 0).Select(b => b.Metric).Distinct(StringComparer.Ordinal).ToList();
        return metrics.Count == 0 ? "score" : string.Join(" / ", metrics.Select(MetricLabels.Label));
    }

    /// <summary>Rows with a point: ranked (finite mean over at least one seed; rows with only diverged cells are skipped) and a
    /// positive finite % (log axis).</summary>
    private static IEnumerable<LeaderboardRow> Drawable(LeaderboardView board) => board.Tiers.SelectMany(t => t.Rows).Where(IsDrawable);

    private static bool IsDrawable(LeaderboardRow r) => LeaderboardMath.IsRanked(r) && r.Percent > 0 && double.IsFinite(r.Percent);

    /// <summary>
    /// log10(% parameters) per row, with rows that tie on (%, score) spread sideways by 0.02 decades each so no marker
    /// hides another (ties are common: one seed, 872 dev sentences, equal budgets).
    /// </summary>
    private static Dictionary<LeaderboardRow, double> Dodge(List<LeaderboardRow> rows)
    {
        var x = new Dictionary<LeaderboardRow, double>(ReferenceEqualityComparer.Instance);
        foreach (var tie in rows.GroupBy(r => (Math.Round(Math.Log10(r.Percent), 3), Math.Round(r.Mean, 4))))
        {
            var members = tie.OrderBy(r => r.Method, StringComparer.Ordinal).ToList();
            for (var k = 0; k < members.Count; k++)
            {
                x[members[k]] = Math.Log10(members[k].Percent) + 0.02 * (k - (members.Count - 1) / 2.0);
            }
        }
        return x;
    }
}
