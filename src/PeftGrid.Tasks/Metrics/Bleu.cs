namespace PeftGrid.Tasks.Metrics;

/// <summary>sacreBLEU's tokenizers (STUB).</summary>
public enum BleuTokenizer
{
    /// <summary>13a (mteval-v13a), sacreBLEU's default.</summary>
    Thirteen13a,
    /// <summary>none: split on spaces only.</summary>
    None,
}

/// <summary>A corpus BLEU (STUB).</summary>
public sealed record BleuScore(double Score, IReadOnlyList<double> Precisions, double BrevityPenalty, double Ratio, long HypothesisLength,
    long ReferenceLength, string Signature);

/// <summary>Corpus BLEU as sacreBLEU computes it (STUB: the metrics helper replaces this file).</summary>
public static class Bleu
{
    /// <summary>Corpus BLEU of <paramref name="hypotheses"/> against one reference each.</summary>
    public static BleuScore Corpus(IReadOnlyList<string> hypotheses, IReadOnlyList<string> references, BleuTokenizer tokenizer = BleuTokenizer.Thirteen13a) =>
        throw new NotImplementedException();
}

/// <summary>The paper's Romanian BLEU pipeline (STUB).</summary>
public static class RomanianBleu
{
    /// <summary>BLEU (tokenize none) after the pipeline on both sides.</summary>
    public static BleuScore Corpus(IReadOnlyList<string> hypotheses, IReadOnlyList<string> references) => throw new NotImplementedException();
}
