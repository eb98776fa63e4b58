using PeftGrid.Contracts.Grid;
using ScottPlot;

namespace PeftGrid.Cli.Sweeps;

/// <summary>Score vs % parameters (log x), one series per leaderboard, the Pareto front joined — like the paper's Figures 2 and 4.</summary>
public static class ParetoPlot
{
    /// <summary>Saves an 900×600 PNG to <paramref name="path"/>.</summary>
    public static void Save(string path, IReadOnlyList<LeaderboardView> boards)
    {
        var plot = new Plot();
        foreach (var board in boards)
        {
            var rows = board.Tiers.SelectMany(t => t.Rows).Where(r => r.Percent > 0).ToList();
            if (rows.Count == 0)
            {
                continue;
            }
            var xs = rows.Select(r => Math.Log10(r.Percent)).ToArray();
            var ys = rows.Select(r => 100 * r.Mean).ToArray();
            var points = plot.Add.ScatterPoints(xs, ys);
            points.LegendText = $"{board.Task} / {board.Model}";
            points.MarkerSize = 8;
            foreach (var r in rows)
            {
                var label = plot.Add.Text(r.Method, Math.Log10(r.Percent), 100 * r.Mean);
                label.LabelFontSize = 10;
            }
            var front = board.Pareto.Where(r => r.Percent > 0).ToList();
            if (front.Count > 1)
            {
                var line = plot.Add.ScatterLine(front.Select(r => Math.Log10(r.Percent)).ToArray(), front.Select(r => 100 * r.Mean).ToArray());
                line.Color = points.Color;
                line.LinePattern = LinePattern.Dashed;
            }
        }
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
            IntegerTicksOnly = true,
            LabelFormatter = v => $"{Math.Pow(10, v):0.###}%",
        };
        plot.XLabel("parameters fine-tuned (% of the model, log scale)");
        plot.YLabel($"{boards.FirstOrDefault()?.Metric ?? "score"} (%)");
        plot.Title("PeftGrid: score vs % parameters (dashed: Pareto front)");
        plot.ShowLegend();
        plot.SavePng(path, 900, 600);
    }
}
