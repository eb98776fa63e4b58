using System.Globalization;

namespace PeftGrid.Tasks.Metrics;

/// <summary>sacreBLEU's tokenizers (the ones PeftGrid needs).</summary>
public enum BleuTokenizer
{
    /// <summary>13a (mteval-v13a), sacreBLEU's default: <see cref="Tokenizer13a"/>.</summary>
    Thirteen13a,
    /// <summary>none: the text is used as is and split on whitespace (the paper's <c>-tok none</c> after Moses tokenisation).</summary>
    None,
}

/// <summary>sacreBLEU's <c>smooth_method</c> values PeftGrid uses.</summary>
public enum BleuSmoothing
{
    /// <summary>'exp' (sacreBLEU's default, mteval-v13a): the k-th n-gram order with no match gets precision 100/(2^k·t_n).</summary>
    Exp,
    /// <summary>'none' (<c>-s none</c>, the paper's Romanian pipeline): an order with no match has precision 0 and BLEU ≈ 0.</summary>
    None,
}

/// <summary>A corpus BLEU as sacreBLEU 2.x reports it.</summary>
/// <param name="Score">BLEU in points, 0–100.</param>
/// <param name="Precisions">The four (smoothed) n-gram precisions in points, n = 1..4.</param>
/// <param name="BrevityPenalty">BP = exp(1 − r/c) when c &lt; r, else 1 (0 when c = 0).</param>
/// <param name="Ratio">Hypothesis length / reference length.</param>
/// <param name="HypothesisLength">c: total hypothesis tokens.</param>
/// <param name="ReferenceLength">r: total reference tokens.</param>
/// <param name="Signature">sacreBLEU's signature (<see cref="Bleu.Signature"/>) or <see cref="RomanianBleu.Signature"/>.</param>
public sealed record BleuScore(double Score, IReadOnlyList<double> Precisions, double BrevityPenalty, double Ratio, long HypothesisLength,
    long ReferenceLength, string Signature);

/// <summary>Corpus BLEU exactly as sacreBLEU 2.x <c>metrics/bleu.py</c> computes it with its defaults and one reference per segment:
/// each segment right-stripped and tokenized, whitespace-split; clipped n-gram matches and hypothesis n-gram totals summed over the
/// corpus for n = 1..4; precisions p_n = 100·m_n/t_n, where a zero m_n is smoothed with 'exp' (the k-th zero gets 100/(2^k·t_n));
/// BLEU = BP·exp(mean ln p_n), 0 if no n-gram matches at all; effective order off (a t_n = 0 leaves p_n = 0, so BLEU ≈ 0), case kept.</summary>
public static class Bleu
{
    /// <summary>The sacreBLEU version whose computation this reproduces and that the signature names. sacreBLEU's BLEU computation and
    /// its 13a tokenizer have not changed across 2.0–2.4; 2.4.0 is the version pinned here.</summary>
    public const string SacreBleuVersion = "2.4.0";

    /// <summary>The maximum n-gram order (sacreBLEU default 4).</summary>
    public const int MaxOrder = 4;

    /// <summary>Corpus BLEU of <paramref name="hypotheses"/> against one reference each (sacreBLEU defaults: 13a, exp smoothing).</summary>
    /// <exception cref="ArgumentException">The lists differ in length or are empty.</exception>
    public static BleuScore Corpus(IReadOnlyList<string> hypotheses, IReadOnlyList<string> references, BleuTokenizer tokenizer = BleuTokenizer.Thirteen13a,
        BleuSmoothing smoothing = BleuSmoothing.Exp)
    {
        ArgumentNullException.ThrowIfNull(hypotheses);
        ArgumentNullException.ThrowIfNull(references);
        if (hypotheses.Count != references.Count)
        {
            throw new ArgumentException($"BLEU: {hypotheses.Count} hypotheses for {references.Count} references; they must pair one to one");
        }
        if (hypotheses.Count == 0)
        {
            throw new ArgumentException("BLEU: no segments to score");
        }
        var correct = new long[MaxOrder];
        var total = new long[MaxOrder];
        long sysLen = 0, refLen = 0;
        for (var s = 0; s < hypotheses.Count; s++)
        {
            var hyp = Words(Tokenize(hypotheses[s].TrimEnd(), tokenizer));
            var reference = Words(Tokenize(references[s].TrimEnd(), tokenizer));
            sysLen += hyp.Length;
            refLen += reference.Length;
            for (var n = 1; n <= MaxOrder; n++)
            {
                var refCounts = Ngrams(reference, n);
                foreach (var (gram, count) in Ngrams(hyp, n))
                {
                    total[n - 1] += count;
                    correct[n - 1] += Math.Min(count, refCounts.GetValueOrDefault(gram));
                }
            }
        }
        return Compute(correct, total, sysLen, refLen, Signature(tokenizer, smoothing), smoothing);
    }

    /// <summary>sacreBLEU <c>BLEU.compute_bleu</c> (effective order off) from corpus statistics.</summary>
    /// <param name="correct">Clipped matches m_n, n = 1..4.</param>
    /// <param name="total">Hypothesis n-gram totals t_n.</param>
    /// <param name="sysLen">Hypothesis tokens c.</param>
    /// <param name="refLen">Reference tokens r.</param>
    /// <param name="signature">Stored with the score.</param>
    /// <param name="smoothing">'exp' or 'none'.</param>
    public static BleuScore Compute(IReadOnlyList<long> correct, IReadOnlyList<long> total, long sysLen, long refLen, string signature,
        BleuSmoothing smoothing = BleuSmoothing.Exp)
    {
        var bp = sysLen < refLen ? (sysLen > 0 ? Math.Exp(1 - (double)refLen / sysLen) : 0.0) : 1.0;
        var ratio = refLen > 0 ? (double)sysLen / refLen : 0.0;
        var precisions = new double[MaxOrder];
        if (correct.All(c => c == 0))
        {
            return new BleuScore(0, precisions, bp, ratio, sysLen, refLen, signature);
        }
        var smooth = 1.0;
        for (var n = 0; n < MaxOrder; n++)
        {
            if (total[n] == 0) break;
            if (correct[n] == 0)
            {
                if (smoothing != BleuSmoothing.Exp) continue;
                smooth *= 2;
                precisions[n] = 100.0 / (smooth * total[n]);
            }
            else
            {
                precisions[n] = 100.0 * correct[n] / total[n];
            }
        }
        // sacreBLEU my_log: log(0) is taken as -9999999999
        var score = bp * Math.Exp(precisions.Sum(p => p == 0 ? -9999999999.0 : Math.Log(p)) / MaxOrder);
        return new BleuScore(score, precisions, bp, ratio, sysLen, refLen, signature);
    }

    /// <summary>sacreBLEU 2.x's BLEU signature for one reference, mixed case, no effective order, exp smoothing:
    /// <c>nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.4.0</c> (<c>tok:none</c> for <see cref="BleuTokenizer.None"/>,
    /// <c>smooth:none</c> for <see cref="BleuSmoothing.None"/>).</summary>
    public static string Signature(BleuTokenizer tokenizer = BleuTokenizer.Thirteen13a, BleuSmoothing smoothing = BleuSmoothing.Exp) =>
        $"nrefs:1|case:mixed|eff:no|tok:{TokenizerName(tokenizer)}|smooth:{(smoothing == BleuSmoothing.Exp ? "exp" : "none")}|version:{SacreBleuVersion}";

    /// <summary>The tokenizer's sacreBLEU name (<c>13a</c>, <c>none</c>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Unknown value.</exception>
    public static string TokenizerName(BleuTokenizer tokenizer) => tokenizer switch
    {
        BleuTokenizer.Thirteen13a => "13a",
        BleuTokenizer.None => "none",
        _ => throw new ArgumentOutOfRangeException(nameof(tokenizer), tokenizer, "BLEU tokenizer must be 13a or none"),
    };

    /// <summary>Applies <paramref name="tokenizer"/> to one segment.</summary>
    public static string Tokenize(string line, BleuTokenizer tokenizer) =>
        tokenizer == BleuTokenizer.Thirteen13a ? Tokenizer13a.Tokenize(line) : line;

    private static string[] Words(string line) => line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);

    private static Dictionary<string, int> Ngrams(string[] words, int n)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i + n <= words.Length; i++)
        {
            var key = string.Join(' ', words, i, n);
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }
        return counts;
    }

    /// <summary>Formats a score like sacreBLEU's <c>-b</c> output (two decimals, invariant culture).</summary>
    public static string Format(double score) => score.ToString("0.00", CultureInfo.InvariantCulture);
}
