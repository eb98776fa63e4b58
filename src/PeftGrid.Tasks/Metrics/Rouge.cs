using System.Globalization;

namespace PeftGrid.Tasks.Metrics;

/// <summary>ROUGE F-measures × 100 (points), each the plain mean over the pairs.</summary>
/// <param name="Rouge1">ROUGE-1: unigram overlap F.</param>
/// <param name="Rouge2">ROUGE-2: bigram overlap F (XSum's selection metric).</param>
/// <param name="RougeL">ROUGE-L: sentence-level LCS F over the whole text.</param>
/// <param name="RougeLsum">ROUGE-Lsum: summary-level union-LCS F over sentences (one per line after <see cref="Rouge.PrepareForLsum"/>).</param>
public sealed record RougeScores(double Rouge1, double Rouge2, double RougeL, double RougeLsum);

/// <summary>Precision, recall and F-measure of one ROUGE type on one pair, in [0, 1] (rouge_score <c>scoring.Score</c>).</summary>
/// <param name="Precision">Matches / prediction count.</param>
/// <param name="Recall">Matches / reference count.</param>
/// <param name="FMeasure">2PR/(P+R), 0 when P+R = 0.</param>
public readonly record struct RougeScore(double Precision, double Recall, double FMeasure);

/// <summary>ROUGE as google-research <c>rouge_score</c> computes it (<c>rouge_scorer.py</c>, <c>tokenize.py</c>, <c>scoring.py</c>),
/// called the way the paper's <c>run_summarization.py</c> calls HF <c>load_metric("rouge")</c> (PAPER.md §3.3): both texts stripped,
/// sentence-split and newline-joined (<see cref="PrepareForLsum"/>), <c>use_stemmer=True</c>, F-measure × 100.
/// Aggregate: the plain mean over pairs. HF reports the <c>mid</c> of rouge_score's <c>BootstrapAggregator</c> (1,000 resamples), which is
/// a bootstrap estimate of exactly this mean (it differs from it only by resampling noise, typically &lt; 0.05 points on XSum's test set).</summary>
public static class Rouge
{
    /// <summary>Mean F × 100 of each ROUGE type over the pairs (prediction i against reference i).</summary>
    /// <exception cref="ArgumentException">The lists differ in length or are empty.</exception>
    public static RougeScores Score(IReadOnlyList<string> predictions, IReadOnlyList<string> references, bool useStemmer = true)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentNullException.ThrowIfNull(references);
        if (predictions.Count != references.Count)
        {
            throw new ArgumentException($"ROUGE: {predictions.Count} predictions for {references.Count} references; they must pair one to one");
        }
        if (predictions.Count == 0)
        {
            throw new ArgumentException("ROUGE: no pairs to score");
        }
        double r1 = 0, r2 = 0, rl = 0, rlsum = 0;
        for (var i = 0; i < predictions.Count; i++)
        {
            var p = PrepareForLsum(predictions[i]);
            var r = PrepareForLsum(references[i]);
            var pt = Tokenize(p, useStemmer);
            var rt = Tokenize(r, useStemmer);
            r1 += NGram(rt, pt, 1).FMeasure;
            r2 += NGram(rt, pt, 2).FMeasure;
            rl += Lcs(rt, pt).FMeasure;
            rlsum += SummaryLevelLcs(Sentences(r, useStemmer), Sentences(p, useStemmer)).FMeasure;
        }
        var n = predictions.Count;
        return new RougeScores(100 * r1 / n, 100 * r2 / n, 100 * rl / n, 100 * rlsum / n);
    }

    /// <summary>The settings as one line, stored with the scores.</summary>
    public static string Signature(bool useStemmer = true) =>
        $"rouge_score|stem:{(useStemmer ? "porter-nltk" : "no")}|tok:lower,[^a-z0-9]->space|lsum:sent-split+newline|agg:mean|F*100";

    /// <summary>What the paper's script does to both texts before scoring: strip, split sentences (<see cref="SentenceSplitter"/>, standing in
    /// for <c>nltk.sent_tokenize</c>), join with '\n'. Only ROUGE-Lsum sees the newlines.</summary>
    public static string PrepareForLsum(string text) => SentenceSplitter.JoinLines(text ?? throw new ArgumentNullException(nameof(text)));

    /// <summary>rouge_score <c>tokenize.tokenize</c>: lower-case, every run of characters outside [a-z0-9] becomes a space, split on
    /// whitespace, Porter-stem (nltk) tokens longer than 3 characters when <paramref name="useStemmer"/>, drop empty tokens.</summary>
    public static IReadOnlyList<string> Tokenize(string text, bool useStemmer = true)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lower = text.ToLower(CultureInfo.InvariantCulture);
        var tokens = new List<string>();
        var start = -1;
        for (var i = 0; i <= lower.Length; i++)
        {
            var ok = i < lower.Length && lower[i] is (>= 'a' and <= 'z') or (>= '0' and <= '9');
            if (ok && start < 0) start = i;
            if (!ok && start >= 0)
            {
                var token = lower[start..i];
                tokens.Add(useStemmer && token.Length > 3 ? PorterStemmer.Stem(token) : token);
                start = -1;
            }
        }
        return tokens;
    }

    /// <summary>rouge_score <c>_score_ngrams</c>: clipped n-gram matches; P = matches / max(pred n-grams, 1), R = matches / max(ref n-grams, 1).</summary>
    public static RougeScore NGram(IReadOnlyList<string> reference, IReadOnlyList<string> prediction, int n)
    {
        var r = Ngrams(reference, n);
        var p = Ngrams(prediction, n);
        var matches = r.Sum(kv => Math.Min(kv.Value, p.GetValueOrDefault(kv.Key)));
        var precision = (double)matches / Math.Max(p.Values.Sum(), 1);
        var recall = (double)matches / Math.Max(r.Values.Sum(), 1);
        return new RougeScore(precision, recall, F(precision, recall));
    }

    /// <summary>rouge_score <c>_score_lcs</c>: LCS length over prediction and reference lengths; 0 if either is empty.</summary>
    public static RougeScore Lcs(IReadOnlyList<string> reference, IReadOnlyList<string> prediction)
    {
        if (reference.Count == 0 || prediction.Count == 0) return default;
        var lcs = LcsTable(reference, prediction)[reference.Count, prediction.Count];
        double precision = (double)lcs / prediction.Count, recall = (double)lcs / reference.Count;
        return new RougeScore(precision, recall, F(precision, recall));
    }

    /// <summary>rouge_score <c>_summary_level_lcs</c> (ROUGE paper §3.2 as ROUGE-1.5.5 implements it): for each reference sentence the union
    /// of its LCS token positions with every prediction sentence; hits counted without double counting a token beyond its count on either
    /// side; P = hits / prediction tokens, R = hits / reference tokens.</summary>
    public static RougeScore SummaryLevelLcs(IReadOnlyList<IReadOnlyList<string>> reference, IReadOnlyList<IReadOnlyList<string>> prediction)
    {
        if (reference.Count == 0 || prediction.Count == 0) return default;
        var m = reference.Sum(s => s.Count);
        var n = prediction.Sum(s => s.Count);
        if (m == 0 || n == 0) return default;
        var countsR = Counts(reference);
        var countsC = Counts(prediction);
        var hits = 0;
        foreach (var r in reference)
        {
            var union = new SortedSet<int>();
            foreach (var c in prediction)
            {
                union.UnionWith(LcsIndices(r, c));
            }
            foreach (var t in union.Select(i => r[i]))
            {
                if (countsC.GetValueOrDefault(t) > 0 && countsR.GetValueOrDefault(t) > 0)
                {
                    hits++;
                    countsC[t]--;
                    countsR[t]--;
                }
            }
        }
        double precision = (double)hits / n, recall = (double)hits / m;
        return new RougeScore(precision, recall, F(precision, recall));
    }

    private static List<IReadOnlyList<string>> Sentences(string text, bool useStemmer) =>
        text.Split('\n').Where(s => s.Length > 0).Select(s => Tokenize(s, useStemmer)).ToList();

    private static double F(double p, double r) => p + r > 0 ? 2 * p * r / (p + r) : 0;

    private static Dictionary<string, int> Ngrams(IReadOnlyList<string> tokens, int n)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i + n <= tokens.Count; i++)
        {
            var key = string.Join('\u0001', Enumerable.Range(i, n).Select(k => tokens[k]));
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }
        return counts;
    }

    private static Dictionary<string, int> Counts(IEnumerable<IReadOnlyList<string>> sentences)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var t in sentences.SelectMany(s => s)) counts[t] = counts.GetValueOrDefault(t) + 1;
        return counts;
    }

    private static int[,] LcsTable(IReadOnlyList<string> a, IReadOnlyList<string> b)
    {
        var t = new int[a.Count + 1, b.Count + 1];
        for (var i = 1; i <= a.Count; i++)
        {
            for (var j = 1; j <= b.Count; j++)
            {
                t[i, j] = a[i - 1] == b[j - 1] ? t[i - 1, j - 1] + 1 : Math.Max(t[i - 1, j], t[i, j - 1]);
            }
        }
        return t;
    }

    /// <summary>rouge_score <c>lcs_ind</c> / <c>_backtrack_norec</c>: reference positions of one LCS, with its tie-breaking.</summary>
    private static List<int> LcsIndices(IReadOnlyList<string> reference, IReadOnlyList<string> candidate)
    {
        var t = LcsTable(reference, candidate);
        var result = new List<int>();
        int i = reference.Count, j = candidate.Count;
        while (i > 0 && j > 0)
        {
            if (reference[i - 1] == candidate[j - 1])
            {
                result.Add(i - 1);
                i--;
                j--;
            }
            else if (t[i, j - 1] > t[i - 1, j])
            {
                j--;
            }
            else
            {
                i--;
            }
        }
        result.Reverse();
        return result;
    }
}
