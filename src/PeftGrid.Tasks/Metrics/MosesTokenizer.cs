using System.Text;
using System.Text.RegularExpressions;

namespace PeftGrid.Tasks.Metrics;

/// <summary>A port of mosesdecoder <c>scripts/tokenizer/tokenizer.perl</c> (sub <c>tokenize</c>) for <c>-no-escape -l ro</c>, default
/// (non-aggressive, non-Penn, no protected patterns) mode: whitespace collapsed and ASCII control characters removed; every character
/// that is not alphanumeric, whitespace, '.', ''', '`', ',' or '-' spaced out; runs of dots kept together; ',' split unless between digits;
/// ''' split off both sides (the rule for languages other than en/fr/it); a word-final '.' split off unless the word contains another '.'
/// and a letter, is a non-breaking prefix (<see cref="RomanianPrefixes"/>), or precedes a lower-case word (or, for a numeric-only prefix,
/// a number). No XML escaping (<c>-no-escape</c>): '&amp;', quotes, '&lt;' stay as they are.
/// Perl's \p{IsAlnum}/\p{IsAlpha}/\p{IsN}/\p{IsLower} are approximated by [\p{L}\p{Nl}\p{Nd}], [\p{L}\p{Nl}], \p{N}, \p{Ll}.</summary>
public static partial class MosesTokenizer
{
    /// <summary>Moses' <c>nonbreaking_prefix.ro</c>: 1 = always non-breaking, 2 = non-breaking before a number only. The Romanian file was
    /// not available to this build; this list reproduces its content as remembered (single capital letters A–Z, dpdv, etc, șamd, M.Ap.N,
    /// dl, Dl, d-na, D-na, dvs, Dvs, pt, Pt) and is unverified against mosesdecoder. With no Romanian file at all, Moses falls back to the
    /// English list.</summary>
    public static readonly IReadOnlyDictionary<string, int> RomanianPrefixes = BuildRomanianPrefixes();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"[\x00-\x1F]")]
    private static partial Regex AsciiControl();

    [GeneratedRegex(@"([^\p{L}\p{Nl}\p{Nd}\s.'`,\-])")]
    private static partial Regex Special();

    [GeneratedRegex(@"\.([.]+)")]
    private static partial Regex MultiDot();

    [GeneratedRegex(@"DOTMULTI\.([^.])")]
    private static partial Regex DotMultiBeforeOther();

    [GeneratedRegex(@"([^\p{N}])[,]")]
    private static partial Regex CommaAfterNonNumber();

    [GeneratedRegex(@"[,]([^\p{N}])")]
    private static partial Regex CommaBeforeNonNumber();

    [GeneratedRegex(@"^(\S+)\.$")]
    private static partial Regex FinalPeriod();

    [GeneratedRegex(@"[\p{L}\p{Nl}]")]
    private static partial Regex Alpha();

    [GeneratedRegex(@"^\p{Ll}")]
    private static partial Regex StartsLower();

    [GeneratedRegex(@"^[0-9]+")]
    private static partial Regex StartsDigits();

    [GeneratedRegex(" +")]
    private static partial Regex Spaces();

    /// <summary>Tokenizes one line as <c>tokenizer.perl -no-escape -l ro</c> does (a blank line is returned unchanged).</summary>
    /// <param name="line">One line, without its newline.</param>
    /// <param name="prefixes">Non-breaking prefixes; default <see cref="RomanianPrefixes"/>.</param>
    public static string Tokenize(string line, IReadOnlyDictionary<string, int>? prefixes = null)
    {
        ArgumentNullException.ThrowIfNull(line);
        prefixes ??= RomanianPrefixes;
        if (string.IsNullOrWhiteSpace(line)) return line;
        var text = $" {line} ";
        text = Whitespace().Replace(text, " ");
        text = AsciiControl().Replace(text, "");
        text = Spaces().Replace(text, " ").Trim(' ');
        text = Special().Replace(text, " $1 ");
        text = MultiDot().Replace(text, " DOTMULTI$1");
        while (text.Contains("DOTMULTI.", StringComparison.Ordinal))
        {
            text = DotMultiBeforeOther().Replace(text, "DOTDOTMULTI $1");
            text = text.Replace("DOTMULTI.", "DOTDOTMULTI", StringComparison.Ordinal);
        }
        text = CommaAfterNonNumber().Replace(text, "$1 , ");
        text = CommaBeforeNonNumber().Replace(text, " , $1");
        text = text.Replace("'", " ' ", StringComparison.Ordinal);
        text = SplitFinalPeriods(text, prefixes);
        text = Spaces().Replace(text, " ");
        if (text.StartsWith(' ')) text = text[1..];
        if (text.EndsWith(' ')) text = text[..^1];
        while (text.Contains("DOTDOTMULTI", StringComparison.Ordinal))
        {
            text = text.Replace("DOTDOTMULTI", "DOTMULTI.", StringComparison.Ordinal);
        }
        return text.Replace("DOTMULTI", ".", StringComparison.Ordinal);
    }

    /// <summary>The "word token method" loop: Perl <c>split(/\s/, $text)</c> (empty fields kept) and the final-period rule.</summary>
    private static string SplitFinalPeriods(string text, IReadOnlyDictionary<string, int> prefixes)
    {
        var words = text.Split([' ', '\t', '\n', '\r', '\f', '\v']);
        var count = words.Length;
        while (count > 0 && words[count - 1].Length == 0) count--; // Perl's split drops trailing empty fields
        var sb = new StringBuilder(text.Length + 8);
        for (var i = 0; i < count; i++)
        {
            var word = words[i];
            var m = FinalPeriod().Match(word);
            if (m.Success)
            {
                var pre = m.Groups[1].Value;
                var next = i < count - 1 ? words[i + 1] : null;
                var kind = prefixes.GetValueOrDefault(pre);
                var keep = (pre.Contains('.') && Alpha().IsMatch(pre)) || kind == 1 || (next is not null && StartsLower().IsMatch(next));
                var keepNumeric = kind == 2 && next is not null && StartsDigits().IsMatch(next);
                if (!keep && !keepNumeric) word = pre + " .";
            }
            sb.Append(word).Append(' ');
        }
        return sb.ToString();
    }

    private static Dictionary<string, int> BuildRomanianPrefixes()
    {
        var d = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var c = 'A'; c <= 'Z'; c++) d[c.ToString()] = 1;
        foreach (var p in new[] { "dpdv", "etc", "șamd", "M.Ap.N", "dl", "Dl", "d-na", "D-na", "dvs", "Dvs", "pt", "Pt" }) d[p] = 1;
        return d;
    }
}
