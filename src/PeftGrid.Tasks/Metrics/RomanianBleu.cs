namespace PeftGrid.Tasks.Metrics;

/// <summary>The paper's Romanian BLEU (PAPER.md §3.3, <c>exps/romanian_postprocess.sh</c>): hypotheses and references both go through
/// Moses <c>replace-unicode-punctuation.perl</c> → <c>normalize-punctuation.perl -l ro</c> → <c>remove-non-printing-char.perl</c> →
/// WMT16 <c>normalise-romanian.py</c> (ş ţ with cedilla → ș ț with comma) → <c>remove-diacritics.py</c> (ș ț ă â î → s t a a i) →
/// <c>tokenizer.perl -no-escape -l ro</c>, then <c>sacrebleu -tok none -s none</c>. Reported next to, never compared with, the
/// 13a BLEU of <see cref="Bleu"/>.</summary>
public static class RomanianBleu
{
    /// <summary>The pipeline and sacreBLEU settings as one line, stored with the score.</summary>
    public static readonly string Signature =
        "wmt16-ro:replace-unicode-punctuation+normalize-punctuation(ro)+remove-non-printing-char+normalise-romanian+remove-diacritics"
        + "+moses-tokenizer(-no-escape,ro)|" + Bleu.Signature(BleuTokenizer.None, BleuSmoothing.None);

    /// <summary>BLEU (tokenize none, smooth none) after the pipeline on both sides.</summary>
    /// <exception cref="ArgumentException">The lists differ in length or are empty.</exception>
    public static BleuScore Corpus(IReadOnlyList<string> hypotheses, IReadOnlyList<string> references)
    {
        ArgumentNullException.ThrowIfNull(hypotheses);
        ArgumentNullException.ThrowIfNull(references);
        var score = Bleu.Corpus(hypotheses.Select(Prepare).ToList(), references.Select(Prepare).ToList(), BleuTokenizer.None, BleuSmoothing.None);
        return score with { Signature = Signature };
    }

    /// <summary>One line through the whole pipeline (what <c>romanian_postprocess.sh</c> writes before sacreBLEU).</summary>
    public static string Prepare(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var s = MosesPunctuation.ReplaceUnicodePunctuation(line);
        s = MosesPunctuation.NormalizePunctuation(s);
        s = MosesPunctuation.RemoveNonPrintingChars(s);
        s = NormaliseRomanian(s);
        s = RemoveDiacritics(s);
        return MosesTokenizer.Tokenize(s);
    }

    /// <summary>WMT16 <c>normalise-romanian.py</c>: Ş ş (U+015E/F, cedilla) → Ș ș (U+0218/9, comma); Ţ ţ (U+0162/3) → Ț ț (U+021A/B).</summary>
    public static string NormaliseRomanian(string line) =>
        line.Replace('\u015E', '\u0218').Replace('\u015F', '\u0219').Replace('\u0162', '\u021A').Replace('\u0163', '\u021B');

    /// <summary>WMT16 <c>remove-diacritics.py</c>: Ș ș Ț ț Ă ă Â â Î î → S s T t A a A a I i (expects comma forms, see
    /// <see cref="NormaliseRomanian"/>).</summary>
    public static string RemoveDiacritics(string line) =>
        line.Replace('\u0218', 'S').Replace('\u0219', 's').Replace('\u021A', 'T').Replace('\u021B', 't')
            .Replace('\u0102', 'A').Replace('\u0103', 'a').Replace('\u00C2', 'A').Replace('\u00E2', 'a')
            .Replace('\u00CE', 'I').Replace('\u00EE', 'i');
}
