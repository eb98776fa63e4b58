using System.Globalization;
using System.Text;

namespace PeftGrid.Tasks.Text;

/// <summary>
/// Hugging Face's BERT basic tokenization (transformers <c>BasicTokenizer</c>, <c>tokenize_chinese_chars=True</c>,
/// <c>strip_accents=None</c>, i.e. accents are stripped exactly when lower-casing), character for character:
/// <list type="number">
/// <item>clean: drop U+0000, U+FFFD and every "control" character (general category C*, except tab, LF and CR);
/// tab, LF, CR and category Zs become a space;</item>
/// <item>put spaces around every CJK ideograph (the eight CJK Unified/Compatibility Ideograph blocks);</item>
/// <item>split on whitespace (Python's <c>str.split()</c>); per word, when lower-casing: Python's <c>str.lower()</c>
/// (full mapping: <c>İ</c> → <c>i</c> + U+0307, a word-final <c>Σ</c> → <c>ς</c>), then NFD
/// (<see cref="CanonicalDecomposition"/>) and drop the non-spacing marks (category Mn);</item>
/// <item>split off every punctuation character: ASCII 33–47, 58–64, 91–96, 123–126, or category P*.</item>
/// </list>
/// Special tokens are not handled here (see <see cref="WordPieceEncoder"/>).
/// </summary>
public static class BertBasicTokenizer
{
    /// <summary>The words of <paramref name="text"/> (input to WordPiece).</summary>
    /// <param name="text">Raw text.</param>
    /// <param name="lowerCase">Lower-case and strip accents (uncased checkpoints such as bert-base-uncased and MiniLM).</param>
    public static List<string> Tokenize(string text, bool lowerCase = true)
    {
        var words = new List<string>();
        foreach (var word in SplitOnWhitespace(CleanAndSpaceCjk(text)))
        {
            var w = lowerCase ? StripAccents(Lower(word)) : word;
            SplitOnPunctuation(w, words);
        }
        return words;
    }

    /// <summary>True for HF's punctuation: ASCII 33–47, 58–64, 91–96, 123–126, or a Unicode category starting with P.</summary>
    public static bool IsPunctuation(Rune r) =>
        r.Value is >= 33 and <= 47 or >= 58 and <= 64 or >= 91 and <= 96 or >= 123 and <= 126
        || Rune.GetUnicodeCategory(r) is UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation
            or UnicodeCategory.OpenPunctuation or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation
            or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.OtherPunctuation;

    /// <summary>True for the code points HF treats as Chinese characters (split one per word).</summary>
    public static bool IsCjk(int cp) =>
        cp is >= 0x4E00 and <= 0x9FFF or >= 0x3400 and <= 0x4DBF or >= 0x20000 and <= 0x2A6DF or >= 0x2A700 and <= 0x2B73F
            or >= 0x2B740 and <= 0x2B81F or >= 0x2B820 and <= 0x2CEAF or >= 0xF900 and <= 0xFAFF or >= 0x2F800 and <= 0x2FA1F;

    private static string CleanAndSpaceCjk(string text)
    {
        var sb = new StringBuilder(text.Length + 8);
        foreach (var r in text.EnumerateRunes()) // a lone surrogate enumerates as U+FFFD and is dropped, as HF drops category Cs
        {
            if (r.Value is 0 or 0xFFFD) continue;
            var category = Rune.GetUnicodeCategory(r);
            var whitespace = r.Value is ' ' or '\t' or '\n' or '\r' || category == UnicodeCategory.SpaceSeparator;
            if (!whitespace && category is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate
                    or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned) continue;
            if (whitespace) sb.Append(' ');
            else if (IsCjk(r.Value)) sb.Append(' ').Append(r.ToString()).Append(' ');
            else sb.Append(r.ToString());
        }
        return sb.ToString();
    }

    // Python's str.split(): after cleaning, the only whitespace left besides ' ' is U+2028 and U+2029.
    private static IEnumerable<string> SplitOnWhitespace(string text) =>
        text.Split([' ', '\u2028', '\u2029'], StringSplitOptions.RemoveEmptyEntries);

    // Python's str.lower(): the simple lower-case mapping, plus U+0130 → "i\u0307" and the Final_Sigma rule.
    private static string Lower(string word)
    {
        var sb = new StringBuilder(word.Length);
        for (var i = 0; i < word.Length;)
        {
            var r = Rune.GetRuneAt(word, i);
            if (r.Value == 0x130) sb.Append("i\u0307");
            else if (r.Value == 0x3A3) sb.Append(IsFinalSigma(word, i) ? 'ς' : 'σ');
            else sb.Append(Rune.ToLowerInvariant(r).ToString());
            i += r.Utf16SequenceLength;
        }
        return sb.ToString();
    }

    // Σ at index i is final when a cased letter precedes it and none follows (case-ignorable characters skipped).
    private static bool IsFinalSigma(string word, int i)
    {
        var before = false;
        for (var j = i - 1; j >= 0; j--)
        {
            if (char.IsLowSurrogate(word[j]) && j > 0) j--;
            var r = Rune.GetRuneAt(word, j);
            if (IsCaseIgnorable(r)) continue;
            before = IsCased(r);
            break;
        }
        if (!before) return false;
        for (var j = i + 1; j < word.Length;)
        {
            var r = Rune.GetRuneAt(word, j);
            if (!IsCaseIgnorable(r)) return !IsCased(r);
            j += r.Utf16SequenceLength;
        }
        return true;
    }

    private static bool IsCased(Rune r) =>
        Rune.GetUnicodeCategory(r) is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
        || Rune.ToLowerInvariant(r) != r || Rune.ToUpperInvariant(r) != r;

    // Unicode Case_Ignorable: categories Mn, Me, Cf, Lm, Sk, or Word_Break MidLetter / MidNumLet / Single_Quote.
    private static bool IsCaseIgnorable(Rune r) =>
        Rune.GetUnicodeCategory(r) is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark or UnicodeCategory.Format
            or UnicodeCategory.ModifierLetter or UnicodeCategory.ModifierSymbol
        || r.Value is '\'' or '.' or ':' or 0xB7 or 0x387 or 0x55F or 0x5F4 or 0x2018 or 0x2019 or 0x2024 or 0x2027
            or 0xFE13 or 0xFE52 or 0xFE55 or 0xFF07 or 0xFF0E or 0xFF1A;

    private static string StripAccents(string word)
    {
        var nfd = CanonicalDecomposition.Decompose(word);
        if (ReferenceEquals(nfd, word)) return word; // all below U+00C0: nothing decomposes, no mark (Mn starts at U+0300)
        var sb = new StringBuilder(nfd.Length);
        foreach (var r in nfd.EnumerateRunes())
        {
            if (Rune.GetUnicodeCategory(r) != UnicodeCategory.NonSpacingMark) sb.Append(r.ToString());
        }
        return sb.ToString();
    }

    private static void SplitOnPunctuation(string word, List<string> words)
    {
        var start = 0;
        for (var i = 0; i < word.Length;)
        {
            var r = Rune.GetRuneAt(word, i);
            var n = r.Utf16SequenceLength;
            if (IsPunctuation(r))
            {
                if (i > start) words.Add(word[start..i]);
                words.Add(word.Substring(i, n));
                start = i + n;
            }
            i += n;
        }
        if (start < word.Length) words.Add(word[start..]);
    }
}
