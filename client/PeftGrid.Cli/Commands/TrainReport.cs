using System.Globalization;
using PeftGrid.Cli.Sweeps;
using PeftGrid.Contracts.Trials;
using PeftGrid.Peft.Catalog;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace PeftGrid.Cli.Commands;

/// <summary>The final tables of <c>peftgrid train</c>: the result, and for a seq2seq trial the sample outputs.</summary>
public static class TrainReport
{
    /// <summary>Prints <paramref name="result"/> (<see cref="Build"/>).</summary>
    public static void Print(TrialResult result, string? resultPath, string? adapterPath)
    {
        foreach (var part in Build(result, resultPath, adapterPath)) AnsiConsole.Write(part);
    }

    /// <summary>
    /// The report of <paramref name="result"/>: a two-column table with the task's dev metrics in their display scale (accuracy in %,
    /// ROUGE-1/2/L/Lsum F × 100 and BLEU / paper-pipeline BLEU in points, <see cref="TaskCatalog.Display"/>), sizes, time, the training
    /// details (<see cref="TrialResult.Training"/>) with the selection metric per epoch and, when <see cref="TrialResult.Generation"/> is
    /// set, the decoding settings and metric signatures; then a table of the sample outputs (prediction vs reference).
    /// </summary>
    public static IReadOnlyList<IRenderable> Build(TrialResult result, string? resultPath, string? adapterPath)
    {
        static string F(double v, string format) => v.ToString(format, CultureInfo.InvariantCulture);
        static string I(long v) => v.ToString(CultureInfo.InvariantCulture);
        var table = new Table().AddColumns("field", "value");
        table.AddRow("cell", result.CellId).AddRow("task", Markup.Escape(result.Task)).AddRow("model", Markup.Escape(result.Model))
            .AddRow("method", Markup.Escape(result.Method))
            .AddRow("status", result.Status.ToString().ToLowerInvariant() + (result.DivergedAtStep is { } s ? $" at step {s}" : ""));
        foreach (var metric in MetricOrder(result))
        {
            var value = result.Metrics[metric];
            table.AddRow(Markup.Escape($"dev {MetricLabels.Label(metric)}"), MetricLabels.Format(metric, value) + (TaskCatalog.IsFraction(metric) ? " %" : ""));
        }
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
                .AddRow("maxLength", I(t.MaxLength));
            if (t.MaxTargetLength is { } target) table.AddRow("maxTargetLength", I(target));
            if (t.MaxTokensPerBatch is { } tokens) table.AddRow("maxTokensPerBatch", I(tokens));
            if (t.LabelSmoothing > 0) table.AddRow("labelSmoothing", F(t.LabelSmoothing, "G"));
            if (t.Precision != "fp32")
            {
                table.AddRow("precision", t.Precision + (t.LowPrecisionBase ? ", frozen base in " + t.Precision : "")
                    + (t.FinalLossScale is { } scale ? $", loss scale {F(scale, "G")}, {I(t.OverflowSkippedSteps)} overflow steps skipped" : ""));
            }
            table.AddRow("steps", I(t.Steps));
            var primary = TaskCatalog.TryFind(result.Task)?.PrimaryMetric ?? "accuracy";
            if (t.EpochAccuracies.Count > 0)
            {
                table.AddRow(Markup.Escape($"{MetricLabels.Label(primary)} per epoch"), string.Join(", ", t.EpochAccuracies.Select(x => MetricLabels.Format(primary, x))));
            }
            if (t.SelectionMetric.Length > 0 && t.SelectionMetric != primary)
            {
                table.AddRow(Markup.Escape($"selection: {t.SelectionMetric} ({(t.SelectionLowerIsBetter ? "lower" : "higher")} is better) per epoch"),
                    string.Join(", ", t.EpochSelectionScores.Select(x => F(x, "0.0000"))));
            }
            if (t.DroppedRowCount > 0) table.AddRow("dropped rows", Markup.Escape($"{t.DroppedRowCount} (first: {t.DroppedRows.FirstOrDefault()})"));
        }
        if (result.Generation is { } g)
        {
            table.AddRow("generation", Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                    $"beams {g.NumBeams}, length {g.MinLength}–{g.MaxLength}, no-repeat {g.NoRepeatNgramSize}, length penalty {g.LengthPenalty:0.##}")))
                .AddRow("references", Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"targets cut to {g.ReferenceMaxTokens} tokens")))
                .AddRow("generated", Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"{g.Examples} examples in {g.Seconds:0.0} s ({g.TokensPerSecond:0.0} tokens/s)")));
            // metrics that share a signature (ROUGE-1/2/L/Lsum) are one row
            foreach (var group in g.Signatures.OrderBy(x => x.Key, StringComparer.Ordinal).GroupBy(x => x.Value, StringComparer.Ordinal))
            {
                table.AddRow(Markup.Escape($"signature {string.Join(", ", group.Select(x => x.Key))}"), Markup.Escape(group.Key));
            }
        }
        if (resultPath is not null) table.AddRow("result", Markup.Escape(resultPath));
        if (adapterPath is not null) table.AddRow("adapter", Markup.Escape(adapterPath));
        if (result.Error is not null) table.AddRow("error", Markup.Escape(result.Error));
        var parts = new List<IRenderable> { table };
        if (result.Generation is { Samples.Count: > 0 } gen)
        {
            var samples = new Table().Title("samples").AddColumns("id", "prediction", "reference");
            foreach (var sample in gen.Samples) samples.AddRow(Markup.Escape(sample.Id), Markup.Escape(sample.Prediction), Markup.Escape(sample.Reference));
            parts.Add(samples);
        }
        return parts;
    }

    /// <summary>The result's metrics to show: the task's (<see cref="TaskEntry.Metrics"/>) in catalog order, then any other but
    /// <c>loss</c> by name.</summary>
    private static IEnumerable<string> MetricOrder(TrialResult result)
    {
        var own = TaskCatalog.TryFind(result.Task)?.Metrics ?? [];
        return own.Where(result.Metrics.ContainsKey)
            .Concat(result.Metrics.Keys.Where(k => !own.Contains(k) && k != "loss").Order(StringComparer.Ordinal));
    }
}
