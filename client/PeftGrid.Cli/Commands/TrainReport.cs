using System.Globalization;
using PeftGrid.Contracts.Trials;
using Spectre.Console;

namespace PeftGrid.Cli.Commands;

/// <summary>The final table of <c>peftgrid train</c>.</summary>
public static class TrainReport
{
    /// <summary>Prints <paramref name="result"/> and its training details (<see cref="TrialResult.Training"/>) as a two-column table.</summary>
    public static void Print(TrialResult result, string? resultPath, string? adapterPath)
    {
        static string F(double v, string format) => v.ToString(format, CultureInfo.InvariantCulture);
        static string I(long v) => v.ToString(CultureInfo.InvariantCulture);
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
        if (result.Training is { } t)
        {
            table.AddRow("learningRate", F(t.LearningRate, "G"))
                .AddRow("trainExamples", I(t.TrainExamples))
                .AddRow("evalExamples", I(t.EvalExamples))
                .AddRow("maxLength", I(t.MaxLength))
                .AddRow("steps", I(t.Steps))
                .AddRow("epochAccuracies", string.Join(", ", t.EpochAccuracies.Select(x => F(x, "0.0000"))));
        }
        if (resultPath is not null) table.AddRow("result", Markup.Escape(resultPath));
        if (adapterPath is not null) table.AddRow("adapter", Markup.Escape(adapterPath));
        if (result.Error is not null) table.AddRow("error", Markup.Escape(result.Error));
        AnsiConsole.Write(table);
    }
}
