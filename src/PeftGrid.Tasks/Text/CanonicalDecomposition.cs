using System.Globalization;
using System.Text;

namespace PeftGrid.Tasks.Text;

/// <summary>
/// Unicode canonical decomposition (NFD) without ICU. Every PeftGrid project runs in .NET's
/// invariant-globalization mode (<c>Directory.Build.props</c>), where <see cref="string.Normalize(NormalizationForm)"/>
/// returns its input unchanged, yet Hugging Face's BERT tokenizer strips accents through NFD. The data is
/// <c>UnicodeNfd.txt</c>, written by <c>make-unicode-nfd.py</c> from Python's <c>unicodedata</c> (the module
/// Hugging Face's tokenizer calls): every code point's full canonical decomposition and the canonical combining
/// classes; Hangul syllables decompose algorithmically (The Unicode Standard §3.12). After decomposition, each run
/// of non-starters is put in canonical order (stable by combining class, §3.11), so the result is exactly NFD.
/// </summary>
public static class CanonicalDecomposition
{
    private const string Resource = "PeftGrid.Tasks.Text.UnicodeNfd.txt";
    private const int HangulFirst = 0xAC00, HangulLast = 0xD7A3, LeadFirst = 0x1100, VowelFirst = 0x1161, TrailFirst = 0x11A7;
    private const int VowelCount = 21, TrailCount = 28;

    private static readonly Lazy<Table> Data = new(Load);

    /// <summary>The Unicode version of the data, e.g. <c>14.0.0</c> (Python 3.11's <c>unicodedata</c>).</summary>
    public static string UnicodeVersion => Data.Value.Version;

    /// <summary>The canonical decomposition (NFD) of <paramref name="text"/>. Invalid UTF-16 (a lone surrogate) is kept as is.</summary>
    public static string Decompose(string text)
    {
        if (!NeedsWork(text)) return text;
        var table = Data.Value;
        var points = new List<int>(text.Length + 8);
        for (var i = 0; i < text.Length; i++)
        {
            int cp = text[i];
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                cp = char.ConvertToUtf32(text[i], text[i + 1]);
                i++;
            }
            if (cp is >= HangulFirst and <= HangulLast)
            {
                var s = cp - HangulFirst;
                points.Add(LeadFirst + s / (VowelCount * TrailCount));
                points.Add(VowelFirst + s % (VowelCount * TrailCount) / TrailCount);
                if (s % TrailCount != 0) points.Add(TrailFirst + s % TrailCount);
            }
            else if (table.Decompositions.TryGetValue(cp, out var parts)) points.AddRange(parts);
            else points.Add(cp);
        }
        // Canonical ordering: within each run of non-starters, a stable insertion sort by combining class.
        for (var i = 1; i < points.Count; i++)
        {
            var cp = points[i];
            var k = CombiningClass(cp);
            if (k == 0) continue;
            var j = i;
            while (j > 0 && CombiningClass(points[j - 1]) > k)
            {
                points[j] = points[j - 1];
                j--;
            }
            points[j] = cp;
        }
        var sb = new StringBuilder(points.Count + 4);
        foreach (var cp in points)
        {
            if (cp is >= 0xD800 and <= 0xDFFF) sb.Append((char)cp); // a lone surrogate passes through
            else sb.Append(char.ConvertFromUtf32(cp));
        }
        return sb.ToString();
    }

    /// <summary>The canonical combining class of <paramref name="codePoint"/> (0 for starters, e.g. 230 for U+0301).</summary>
    public static int CombiningClass(int codePoint)
    {
        if (codePoint < 0x300) return 0;
        var ranges = Data.Value.Classes;
        int lo = 0, hi = ranges.Length - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >> 1;
            var (first, last, k) = ranges[mid];
            if (codePoint < first) hi = mid - 1;
            else if (codePoint > last) lo = mid + 1;
            else return k;
        }
        return 0;
    }

    // Below U+00C0 no code point decomposes or has a non-zero combining class.
    private static bool NeedsWork(string text)
    {
        foreach (var c in text)
        {
            if (c >= '\u00C0') return true;
        }
        return false;
    }

    private sealed record Table(string Version, Dictionary<int, int[]> Decompositions, (int First, int Last, int Class)[] Classes);

    private static Table Load()
    {
        using var stream = typeof(CanonicalDecomposition).Assembly.GetManifestResourceStream(Resource)
            ?? throw new InvalidOperationException($"resource '{Resource}' is missing from {typeof(CanonicalDecomposition).Assembly.FullName}");
        using var reader = new StreamReader(stream);
        var version = "";
        var decompositions = new Dictionary<int, int[]>();
        var classes = new List<(int, int, int)>();
        for (var line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            if (line.StartsWith("# Unicode ", StringComparison.Ordinal)) version = line.Split(' ')[2];
            if (line.Length == 0 || line[0] == '#') continue;
            var f = line.Split(' ');
            var cps = f.Skip(1).Take(line[0] == 'c' ? 2 : f.Length - 1).Select(h => int.Parse(h, NumberStyles.HexNumber, CultureInfo.InvariantCulture)).ToArray();
            if (line[0] == 'd') decompositions.Add(cps[0], cps[1..]);
            else classes.Add((cps[0], cps[1], int.Parse(f[3], CultureInfo.InvariantCulture)));
        }
        return new Table(version, decompositions, classes.ToArray());
    }
}
