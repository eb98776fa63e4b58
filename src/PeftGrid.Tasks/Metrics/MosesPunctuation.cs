using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace PeftGrid.Tasks.Metrics;

/// <summary>Ports of the Moses pre-processing scripts the paper's <c>exps/romanian_postprocess.sh</c> runs (mosesdecoder
/// <c>scripts/tokenizer/</c>): <c>replace-unicode-punctuation.perl</c>, <c>normalize-punctuation.perl -l ro</c> and
/// <c>remove-non-printing-char.perl</c>. Each works on one line (no trailing newline).</summary>
public static class MosesPunctuation
{
    private const char Nbsp = '\u00A0';

    private static readonly (string From, string To)[] UnicodePunctuation =
    [
        ("，", ","), ("、", ","), ("”", "\""), ("“", "\""), ("∶", ":"), ("：", ":"), ("？", "?"), ("《", "\""), ("》", "\""),
        ("）", ")"), ("！", "!"), ("（", "("), ("；", ";"), ("１", "\""), ("」", "\""), ("「", "\""), ("０", "0"), ("３", "3"),
        ("２", "2"), ("５", "5"), ("６", "6"), ("９", "9"), ("７", "7"), ("８", "8"), ("４", "4"),
    ];

    /// <summary><c>replace-unicode-punctuation.perl</c>, rule for rule in its order. Faithful to the script's quirk that full-width
    /// '１' becomes '"' (sacremoses "fixes" it to '1'; the paper ran the Perl script).</summary>
    public static string ReplaceUnicodePunctuation(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var s = line.Replace("，", ",", StringComparison.Ordinal);
        s = Regex.Replace(s, "。 *", ". ");
        foreach (var (from, to) in UnicodePunctuation.Skip(1)) s = s.Replace(from, to, StringComparison.Ordinal);
        s = Regex.Replace(s, "． *", ". ");
        return s.Replace("～", "~", StringComparison.Ordinal).Replace("’", "'", StringComparison.Ordinal)
            .Replace("…", "...", StringComparison.Ordinal).Replace("━", "-", StringComparison.Ordinal)
            .Replace("〈", "<", StringComparison.Ordinal).Replace("〉", ">", StringComparison.Ordinal)
            .Replace("【", "[", StringComparison.Ordinal).Replace("】", "]", StringComparison.Ordinal)
            .Replace("％", "%", StringComparison.Ordinal);
    }

    /// <summary><c>normalize-punctuation.perl -l ro</c> (no <c>-penn</c>): spacing around brackets and ':' ';', curly quotes and dashes to
    /// ASCII, French quotes, non-breaking-space "pseudo-spaces", the non-English <c>,"</c> → <c>",</c> and <c>."</c> → <c>".</c>
    /// rules, and NBSP between digits → '.'. The script works on bytes with ASCII-only \d and \s; this port uses the same ASCII classes.</summary>
    public static string NormalizePunctuation(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var s = line.Replace("\r", "", StringComparison.Ordinal);
        s = s.Replace("(", " (", StringComparison.Ordinal).Replace(")", ") ", StringComparison.Ordinal);
        s = Spaces(s);
        s = Regex.Replace(s, @"\) ([.!:?;,])", ")$1");
        s = s.Replace("( ", "(", StringComparison.Ordinal).Replace(" )", ")", StringComparison.Ordinal);
        s = Regex.Replace(s, "([0-9]) %", "$1%");
        s = s.Replace(" :", ":", StringComparison.Ordinal).Replace(" ;", ";", StringComparison.Ordinal);
        s = s.Replace("`", "'", StringComparison.Ordinal).Replace("''", " \" ", StringComparison.Ordinal);
        s = s.Replace("„", "\"", StringComparison.Ordinal).Replace("“", "\"", StringComparison.Ordinal).Replace("”", "\"", StringComparison.Ordinal)
            .Replace("–", "-", StringComparison.Ordinal).Replace("—", " - ", StringComparison.Ordinal);
        s = Spaces(s);
        s = s.Replace("´", "'", StringComparison.Ordinal);
        s = Regex.Replace(s, "([a-zA-Z])‘([a-zA-Z])", "$1'$2");
        s = Regex.Replace(s, "([a-zA-Z])’([a-zA-Z])", "$1'$2");
        s = s.Replace("‘", "\"", StringComparison.Ordinal).Replace("‚", "\"", StringComparison.Ordinal).Replace("’", "\"", StringComparison.Ordinal)
            .Replace("''", "\"", StringComparison.Ordinal).Replace("´´", "\"", StringComparison.Ordinal).Replace("…", "...", StringComparison.Ordinal);
        s = s.Replace($"{Nbsp}«{Nbsp}", " \"", StringComparison.Ordinal).Replace($"«{Nbsp}", "\"", StringComparison.Ordinal)
            .Replace("«", "\"", StringComparison.Ordinal).Replace($"{Nbsp}»{Nbsp}", "\" ", StringComparison.Ordinal)
            .Replace($"{Nbsp}»", "\"", StringComparison.Ordinal).Replace("»", "\"", StringComparison.Ordinal);
        s = s.Replace($"{Nbsp}%", "%", StringComparison.Ordinal).Replace($"nº{Nbsp}", "nº ", StringComparison.Ordinal)
            .Replace($"{Nbsp}:", ":", StringComparison.Ordinal).Replace($"{Nbsp}ºC", " ºC", StringComparison.Ordinal)
            .Replace($"{Nbsp}cm", " cm", StringComparison.Ordinal).Replace($"{Nbsp}?", "?", StringComparison.Ordinal)
            .Replace($"{Nbsp}!", "!", StringComparison.Ordinal).Replace($"{Nbsp};", ";", StringComparison.Ordinal)
            .Replace($",{Nbsp}", ", ", StringComparison.Ordinal);
        s = Spaces(s);
        // not en, not cs/cz: German/Spanish/French (and Romanian) quotation-followed-by-comma style
        s = s.Replace(",\"", "\",", StringComparison.Ordinal);
        s = Regex.Replace(s, "(\\.+)\"([ \t\n\r\f]*[^<])", "\"$1$2");
        return Regex.Replace(s, $"([0-9]){Nbsp}([0-9])", "$1.$2");
    }

    /// <summary><c>remove-non-printing-char.perl</c>: every code point of Unicode category C (control, format, surrogate, private use,
    /// unassigned) becomes a space. Works on code points, so astral characters (emoji) are kept.</summary>
    public static string RemoveNonPrintingChars(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var sb = new StringBuilder(line.Length);
        foreach (var rune in line.EnumerateRunes())
        {
            var category = Rune.GetUnicodeCategory(rune);
            var isC = category is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate
                or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned;
            if (isC) sb.Append(' ');
            else sb.Append(rune.ToString());
        }
        return sb.ToString();
    }

    private static string Spaces(string s) => Regex.Replace(s, " +", " ");
}
