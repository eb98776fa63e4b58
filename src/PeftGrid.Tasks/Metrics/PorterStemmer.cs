namespace PeftGrid.Tasks.Metrics;

/// <summary>The Porter stemmer exactly as nltk's <c>nltk/stem/porter.py</c> computes it in its default <c>NLTK_EXTENSIONS</c> mode
/// (the stemmer rouge_score uses with <c>use_stemmer=True</c>): the irregular-forms table, words of ≤ 2 characters unchanged,
/// steps 1a, 1b, 1c, 2, 3, 4, 5a, 5b with nltk's departures ('ies'/'ied' on 4-letter words, (*c and not c) Y → I, 'alli' first and
/// recursive, 'bli' → 'ble', 'fulli' → 'ful', 'logi' → 'log' measured with the 'l'). Input is expected in lower case (rouge_score
/// lower-cases before stemming); like nltk, <see cref="Stem"/> lower-cases first.</summary>
public static class PorterStemmer
{
    private static readonly Dictionary<string, string> Irregular = new(StringComparer.Ordinal)
    {
        ["sky"] = "sky", ["skies"] = "sky", ["dying"] = "die", ["lying"] = "lie", ["tying"] = "tie", ["news"] = "news",
        ["innings"] = "inning", ["inning"] = "inning", ["outings"] = "outing", ["outing"] = "outing",
        ["cannings"] = "canning", ["canning"] = "canning", ["howe"] = "howe",
        ["proceed"] = "proceed", ["exceed"] = "exceed", ["succeed"] = "succeed",
    };

    private delegate bool Condition(string stem);

    private readonly record struct Rule(string Suffix, string Replacement, Condition? When);

    /// <summary>The stem of <paramref name="word"/> (nltk <c>PorterStemmer().stem(word)</c>).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="word"/> is null.</exception>
    public static string Stem(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        var stem = word.ToLowerInvariant();
        // nltk looks the *original* word up in the pool, then returns pool[lowercased]
        if (Irregular.ContainsKey(word))
        {
            return Irregular[stem];
        }
        if (word.Length <= 2)
        {
            return stem;
        }
        stem = Step1a(stem);
        stem = Step1b(stem);
        stem = Step1c(stem);
        stem = Step2(stem);
        stem = Step3(stem);
        stem = Step4(stem);
        stem = Step5a(stem);
        return Step5b(stem);
    }

    private static bool IsConsonant(string w, int i) => w[i] switch
    {
        'a' or 'e' or 'i' or 'o' or 'u' => false,
        'y' => i == 0 || !IsConsonant(w, i - 1),
        _ => true,
    };

    /// <summary>m: the number of "vc" transitions in the word's consonant/vowel pattern.</summary>
    private static int Measure(string stem)
    {
        var m = 0;
        for (var i = 1; i < stem.Length; i++)
        {
            if (!IsConsonant(stem, i - 1) && IsConsonant(stem, i)) m++;
        }
        return m;
    }

    private static bool Positive(string stem) => Measure(stem) > 0;

    private static bool ContainsVowel(string stem)
    {
        for (var i = 0; i < stem.Length; i++)
        {
            if (!IsConsonant(stem, i)) return true;
        }
        return false;
    }

    private static bool EndsDoubleConsonant(string w) => w.Length >= 2 && w[^1] == w[^2] && IsConsonant(w, w.Length - 1);

    private static bool EndsCvc(string w) =>
        (w.Length >= 3 && IsConsonant(w, w.Length - 3) && !IsConsonant(w, w.Length - 2) && IsConsonant(w, w.Length - 1)
            && w[^1] is not ('w' or 'x' or 'y'))
        || (w.Length == 2 && !IsConsonant(w, 0) && IsConsonant(w, 1));

    private static string Cut(string w, string suffix) => w[..^suffix.Length];

    /// <summary>nltk <c>_apply_rule_list</c>: the first rule whose suffix matches decides; if its condition fails, the word is kept.
    /// Suffix "*d" means "ends in a double consonant" (two characters removed).</summary>
    private static string Apply(string word, IEnumerable<Rule> rules)
    {
        foreach (var (suffix, replacement, when) in rules)
        {
            if (suffix == "*d")
            {
                if (EndsDoubleConsonant(word))
                {
                    var s = word[..^2];
                    return when is null || when(s) ? s + replacement : word;
                }
                continue;
            }
            if (word.EndsWith(suffix, StringComparison.Ordinal))
            {
                var stem = Cut(word, suffix);
                return when is null || when(stem) ? stem + replacement : word;
            }
        }
        return word;
    }

    private static string Step1a(string w)
    {
        if (w.EndsWith("ies", StringComparison.Ordinal) && w.Length == 4) return Cut(w, "ies") + "ie";
        return Apply(w, [new("sses", "ss", null), new("ies", "i", null), new("ss", "ss", null), new("s", "", null)]);
    }

    private static string Step1b(string w)
    {
        if (w.EndsWith("ied", StringComparison.Ordinal)) return Cut(w, "ied") + (w.Length == 4 ? "ie" : "i");
        if (w.EndsWith("eed", StringComparison.Ordinal))
        {
            var s = Cut(w, "eed");
            return Measure(s) > 0 ? s + "ee" : w;
        }
        string? intermediate = null;
        foreach (var suffix in new[] { "ed", "ing" })
        {
            if (w.EndsWith(suffix, StringComparison.Ordinal) && ContainsVowel(Cut(w, suffix)))
            {
                intermediate = Cut(w, suffix);
                break;
            }
        }
        if (intermediate is null) return w;
        var last = intermediate[^1];
        return Apply(intermediate, [
            new("at", "ate", null), new("bl", "ble", null), new("iz", "ize", null),
            new("*d", last.ToString(), _ => last is not ('l' or 's' or 'z')),
            new("", "e", s => Measure(s) == 1 && EndsCvc(s)),
        ]);
    }

    private static string Step1c(string w) => Apply(w, [new("y", "i", s => s.Length > 1 && IsConsonant(s, s.Length - 1))]);

    private static string Step2(string w)
    {
        if (w.EndsWith("alli", StringComparison.Ordinal) && Positive(Cut(w, "alli")))
        {
            return Step2(Cut(w, "alli") + "al");
        }
        return Apply(w, [
            new("ational", "ate", Positive), new("tional", "tion", Positive), new("enci", "ence", Positive),
            new("anci", "ance", Positive), new("izer", "ize", Positive), new("bli", "ble", Positive), new("alli", "al", Positive),
            new("entli", "ent", Positive), new("eli", "e", Positive), new("ousli", "ous", Positive), new("ization", "ize", Positive),
            new("ation", "ate", Positive), new("ator", "ate", Positive), new("alism", "al", Positive), new("iveness", "ive", Positive),
            new("fulness", "ful", Positive), new("ousness", "ous", Positive), new("aliti", "al", Positive), new("iviti", "ive", Positive),
            new("biliti", "ble", Positive), new("fulli", "ful", Positive),
            new("logi", "log", _ => Positive(w[..^3])),
        ]);
    }

    private static string Step3(string w) => Apply(w, [
        new("icate", "ic", Positive), new("ative", "", Positive), new("alize", "al", Positive), new("iciti", "ic", Positive),
        new("ical", "ic", Positive), new("ful", "", Positive), new("ness", "", Positive),
    ]);

    private static string Step4(string w)
    {
        static bool Gt1(string s) => Measure(s) > 1;
        return Apply(w, [
            new("al", "", Gt1), new("ance", "", Gt1), new("ence", "", Gt1), new("er", "", Gt1), new("ic", "", Gt1), new("able", "", Gt1),
            new("ible", "", Gt1), new("ant", "", Gt1), new("ement", "", Gt1), new("ment", "", Gt1), new("ent", "", Gt1),
            new("ion", "", s => Measure(s) > 1 && s.Length > 0 && s[^1] is 's' or 't'), new("ou", "", Gt1), new("ism", "", Gt1),
            new("ate", "", Gt1), new("iti", "", Gt1), new("ous", "", Gt1), new("ive", "", Gt1), new("ize", "", Gt1),
        ]);
    }

    private static string Step5a(string w)
    {
        if (!w.EndsWith('e')) return w;
        var s = w[..^1];
        if (Measure(s) > 1) return s;
        return Measure(s) == 1 && !EndsCvc(s) ? s : w;
    }

    private static string Step5b(string w) => Apply(w, [new("ll", "l", _ => Measure(w[..^1]) > 1)]);
}
