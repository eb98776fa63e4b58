using System.Text.RegularExpressions;

namespace PeftGrid.Tasks.Metrics;

/// <summary>sacreBLEU's <c>13a</c> tokenizer (<c>tokenizers/tokenizer_13a.py</c> + <c>tokenizer_re.py</c>), equivalent to mteval-v13a:
/// drop "&lt;skipped&gt;", join "-\n", newlines to spaces, unescape &amp;quot; &amp;amp; &amp;lt; &amp;gt;, pad with spaces, then
/// (1) space out ASCII symbols {|}~ [\]^_` space–&amp; (–+ :–@ /; (2) split '.' and ',' unless preceded by a digit; (3) unless followed by a
/// digit; (4) split '-' after a digit; finally collapse whitespace.</summary>
public static partial class Tokenizer13a
{
    [GeneratedRegex(@"([{-~\[-`\x20-&(-+:-@/])", RegexOptions.CultureInvariant)]
    private static partial Regex Symbols();

    [GeneratedRegex(@"([^0-9])([.,])", RegexOptions.CultureInvariant)]
    private static partial Regex PeriodCommaAfterNonDigit();

    [GeneratedRegex(@"([.,])([^0-9])", RegexOptions.CultureInvariant)]
    private static partial Regex PeriodCommaBeforeNonDigit();

    [GeneratedRegex(@"([0-9])(-)", RegexOptions.CultureInvariant)]
    private static partial Regex DashAfterDigit();

    /// <summary>The 13a tokenization of one segment, tokens separated by single spaces.</summary>
    public static string Tokenize(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        line = line.Replace("<skipped>", "", StringComparison.Ordinal).Replace("-\n", "", StringComparison.Ordinal)
            .Replace("\n", " ", StringComparison.Ordinal).Replace("&quot;", "\"", StringComparison.Ordinal)
            .Replace("&amp;", "&", StringComparison.Ordinal).Replace("&lt;", "<", StringComparison.Ordinal)
            .Replace("&gt;", ">", StringComparison.Ordinal);
        line = $" {line} ";
        line = Symbols().Replace(line, " $1 ");
        line = PeriodCommaAfterNonDigit().Replace(line, "$1 $2 ");
        line = PeriodCommaBeforeNonDigit().Replace(line, " $1 $2");
        line = DashAfterDigit().Replace(line, "$1 $2 ");
        return string.Join(' ', line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }
}
