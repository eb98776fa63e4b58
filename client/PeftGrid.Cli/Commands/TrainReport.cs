using System.Globalization;
using PeftGrid.Contracts.Trials;
using Spectre.Console;

namespace PeftGrid.Cli.Commands;

/// <summary>The final table of <c>peftgrid train</c>.</summary>
public static class TrainReport
{
    /// <summary>Prints <paramref name="result"/> and the training details as a two-column table.</summary>
    public static void Print(TrialResult result, IReadOnlyDictionary<string, object?> training, string? resultPath, string? adapterPath)
    {
        static string F(double v, string format) => v.ToString(format, CultureInfo.InvariantCulture);
        var table = new Table().AddColumns("field", "value");
        table.AddRow("cell", result.CellId).AddRow("task", result.Task).AddRow("model", result.Model)
            .AddRow("method", Markup.Escape(result.Method))
            .AddRow("status", result.Status.ToString().ToLowerInvariant() + (result.DivergedAtStep is { } s ? $" at step {s}" : ""));
        if (result.Metrics.TryGetValue("accuracy", out var accuracy)) table.AddRow("dev accuracy", F(100 * accuracy, "0.00") + " %");
        table.AddRow("best epoch", result.BestEpoch.ToString(CultureInfo.InvariantCulture))
            .AddRow("paper count", result.Budget.PaperCount.ToString("N0", CultureInfo.InvariantCulture))
            .AddRow("trainable (head excluded)", result.Budget.TrainableCount.ToString("N0", CultureInfo.InvariantCulture))
            .AddRow("% of model (paper)", F(result.Budget.Percent, "0.###") + " %")
            .AddRow("train time", F(result.TrainSeconds, "0.0") + " s")
            .AddRow("examples/s", F(result.ExamplesPerSecond, "0.0"))
            .AddRow("peak memory (RSS)", F(result.PeakMemoryBytes / 1048576.0, "0") + " MiB");
        foreach (var key in new[] { "learningRate", "trainExamples", "evalExamples", "maxLength", "steps", "epochAccuracies" })
        {
            if (training.TryGetValue(key, out var v) && v is not null)
            {
                var text = v is IEnumerable<double> list ? string.Join(", ", list.Select(x => F(x, "0.0000"))) : Convert.ToString(v, CultureInfo.InvariantCulture)!;
                table.AddRow(key, Markup.Escape(text));
            }
        }
        if (resultPath is not null) table.AddRow("result", Markup.Escape(resultPath));
        if (adapterPath is not null) table.AddRow("adapter", Markup.Escape(adapterPath));
        if (result.Error is not null) table.AddRow("error", Markup.Escape(result.Error));
        AnsiConsole.Write(table);
    }
}
