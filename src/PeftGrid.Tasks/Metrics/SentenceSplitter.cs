namespace PeftGrid.Tasks.Metrics;

/// <summary>A rule-based English sentence splitter standing in for <c>nltk.sent_tokenize</c> (Punkt), which the paper's
/// <c>run_summarization.py</c> applies before ROUGE so that <c>rougeLsum</c> sees one sentence per line (PAPER.md §3.3).
/// Rule: a sentence ends after '.', '!' or '?' (optionally followed by closing quotes/brackets) when whitespace follows and the next
/// non-space character is an upper-case letter, a digit or an opening quote/bracket; never after a known abbreviation
/// (<see cref="Abbreviations"/>), a single capital initial ("J."), or a dotted acronym ("U.S."). Punkt is statistical and can differ
/// on rare cases (e.g. an abbreviation at the true end of a sentence); ROUGE-1/2/L never depend on the split, only ROUGE-Lsum.</summary>
public static class SentenceSplitter
{
    /// <summary>Lower-cased abbreviations (without the final '.') after which a period never ends a sentence.</summary>
    public static readonly IReadOnlySet<string> Abbreviations = new HashSet<string>(StringComparer.Ordinal)
    {
        "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "mt", "rev", "gen", "col", "lt", "sgt", "capt", "cmdr", "gov", "sen",
        "rep", "pres", "hon", "messrs", "mme", "mlle", "co", "corp", "inc", "ltd", "plc", "bros", "dept", "univ", "assn", "est",
        "vs", "etc", "e.g", "i.e", "cf", "al", "approx", "no", "nos", "vol", "fig", "figs", "ed", "eds", "p", "pp", "ch",
        "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
        "u.s", "u.k", "u.n", "e.u", "a.m", "p.m",
    };

    /// <summary>The sentences of <paramref name="text"/>, each trimmed, empty ones dropped.</summary>
    public static IReadOnlyList<string> Split(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sentences = new List<string>();
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] is not ('.' or '!' or '?')) continue;
            var end = i + 1;
            while (end < text.Length && text[end] is '.' or '!' or '?' or '"' or '\'' or ')' or ']' or '\u201D' or '\u2019') end++;
            if (end >= text.Length || !char.IsWhiteSpace(text[end])) continue;
            var next = end;
            while (next < text.Length && char.IsWhiteSpace(text[next])) next++;
            if (next >= text.Length) continue;
            var c = text[next];
            if (!(char.IsUpper(c) || char.IsDigit(c) || c is '"' or '\'' or '(' or '[' or '\u201C' or '\u2018')) continue;
            if (text[i] == '.' && IsAbbreviation(text, start, i)) continue;
            Add(sentences, text[start..end]);
            start = next;
            i = next - 1;
        }
        Add(sentences, text[start..]);
        return sentences;
    }

    /// <summary>The paper's preparation for ROUGE: strip, split into sentences, join them with '\n'.</summary>
    public static string JoinLines(string text) => string.Join('\n', Split(text.Trim()));

    private static void Add(List<string> sentences, string s)
    {
        s = s.Trim();
        if (s.Length > 0) sentences.Add(s);
    }

    /// <summary>True when the word ending at the period <paramref name="dot"/> is an abbreviation, an initial or a dotted acronym.</summary>
    private static bool IsAbbreviation(string text, int start, int dot)
    {
        var b = dot;
        while (b > start && !char.IsWhiteSpace(text[b - 1]) && text[b - 1] is not ('(' or '"' or '\'' or '\u201C')) b--;
        var word = text[b..dot];
        if (word.Length == 0) return false;
        if (word.Length == 1 && char.IsLetter(word[0])) return true;              // initial: "J. Smith"
        if (word.Contains('.') && word.Split('.').All(p => p.Length == 1 && char.IsLetter(p[0]))) return true; // "U.S", "e.g"
        return Abbreviations.Contains(word.ToLowerInvariant());
    }
}
