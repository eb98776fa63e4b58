using System.Globalization;
using PeftGrid.Peft.Catalog;

namespace PeftGrid.Cli.Sweeps;

/// <summary>How tables and plots name and format a metric: in its display scale (<see cref="TaskCatalog.Display"/>: accuracy × 100,
/// ROUGE F × 100 and BLEU 0–100 as stored).</summary>
public static class MetricLabels
{
    /// <summary>The axis / column label of <paramref name="metric"/> with its unit: <c>accuracy (%)</c>, <c>ROUGE-2 (F×100)</c>,
    /// <c>ROUGE-Lsum (F×100)</c>, <c>BLEU</c>, <c>BLEU (paper pipeline)</c>; any other name as is.</summary>
    public static string Label(string metric) => metric switch
    {
        "accuracy" => "accuracy (%)",
        "rouge1" => "ROUGE-1 (F×100)",
        "rouge2" => "ROUGE-2 (F×100)",
        "rougeL" => "ROUGE-L (F×100)",
        "rougeLsum" => "ROUGE-Lsum (F×100)",
        "bleu" => "BLEU",
        "bleuPaper" => "BLEU (paper pipeline)",
        _ => metric,
    };

    /// <summary>The short column name of <paramref name="metric"/>: <c>R-1</c>, <c>R-2</c>, <c>R-L</c>, <c>R-Lsum</c>, <c>BLEU</c>,
    /// <c>BLEU paper</c>, <c>acc %</c>; any other name as is.</summary>
    public static string Short(string metric) => metric switch
    {
        "accuracy" => "acc %",
        "rouge1" => "R-1",
        "rouge2" => "R-2",
        "rougeL" => "R-L",
        "rougeLsum" => "R-Lsum",
        "bleu" => "BLEU",
        "bleuPaper" => "BLEU paper",
        _ => metric,
    };

    /// <summary><paramref name="value"/> in the display scale of <paramref name="metric"/>, two decimals (invariant culture).</summary>
    public static string Format(string metric, double value) => TaskCatalog.Display(metric, value).ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>The other metrics shown beside <paramref name="primary"/> for <paramref name="task"/>: the names of
    /// <paramref name="present"/> in the catalog's order of the task's metrics (<see cref="TaskEntry.Metrics"/>), then any others by name.</summary>
    public static IReadOnlyList<string> Order(string task, string primary, IEnumerable<string> present)
    {
        var names = present.Where(n => n != primary).Distinct(StringComparer.Ordinal).ToList();
        var own = TaskCatalog.TryFind(task)?.Metrics ?? [];
        return own.Where(names.Contains).Concat(names.Where(n => !own.Contains(n)).Order(StringComparer.Ordinal)).ToList();
    }
}
