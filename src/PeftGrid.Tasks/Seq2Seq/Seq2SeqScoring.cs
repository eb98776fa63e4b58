using PeftGrid.Peft.Catalog;
using PeftGrid.Tasks.Metrics;

namespace PeftGrid.Tasks.Seq2Seq;

/// <summary>
/// Scores generated texts against references with the metrics of a seq2seq task (PAPER.md §3.3): XSum → <c>rouge1</c>,
/// <c>rouge2</c>, <c>rougeL</c>, <c>rougeLsum</c> (<see cref="Rouge.Score"/>, stemmer on, F × 100); en-ro → <c>bleu</c>
/// (sacreBLEU 13a, <see cref="Bleu.Corpus"/>) and <c>bleuPaper</c> (the paper's Romanian pipeline, <see cref="RomanianBleu.Corpus"/>),
/// each with its signature.
/// </summary>
public static class Seq2SeqScoring
{
    /// <summary>The metrics of <paramref name="task"/> (keys = <see cref="TaskEntry.Metrics"/>) and their signatures by metric name.</summary>
    /// <param name="task">A seq2seq catalog task whose metrics are ROUGE or BLEU.</param>
    /// <param name="predictions">Model outputs, one per example.</param>
    /// <param name="references">References, aligned with <paramref name="predictions"/>.</param>
    /// <exception cref="ArgumentException">Different counts, or a task whose metrics are neither ROUGE nor BLEU.</exception>
    public static (Dictionary<string, double> Metrics, Dictionary<string, string> Signatures) Score(
        TaskEntry task, IReadOnlyList<string> predictions, IReadOnlyList<string> references)
    {
        if (predictions.Count != references.Count)
        {
            throw new ArgumentException($"{predictions.Count} predictions for {references.Count} references", nameof(predictions));
        }
        if (task.Metrics.Contains("rouge2"))
        {
            var r = Rouge.Score(predictions, references, useStemmer: true);
            var signature = Rouge.Signature(useStemmer: true);
            return (new Dictionary<string, double> { ["rouge1"] = r.Rouge1, ["rouge2"] = r.Rouge2, ["rougeL"] = r.RougeL, ["rougeLsum"] = r.RougeLsum },
                new Dictionary<string, string> { ["rouge1"] = signature, ["rouge2"] = signature, ["rougeL"] = signature, ["rougeLsum"] = signature });
        }
        if (task.Metrics.Contains("bleu"))
        {
            var bleu = Bleu.Corpus(predictions, references, BleuTokenizer.Thirteen13a);
            var paper = RomanianBleu.Corpus(predictions, references);
            return (new Dictionary<string, double> { ["bleu"] = bleu.Score, ["bleuPaper"] = paper.Score },
                new Dictionary<string, string> { ["bleu"] = bleu.Signature, ["bleuPaper"] = paper.Signature });
        }
        throw new ArgumentException($"task '{task.Name}' has metrics {string.Join(", ", task.Metrics)}; seq2seq scoring knows rouge1/rouge2/rougeL/rougeLsum and bleu/bleuPaper");
    }
}
