using System.Globalization;
using System.Text;
using PeftGrid.Peft.Framework;

namespace PeftGrid.Peft.Specs;

/// <summary>
/// The compact text form of a configuration (modelled on AdapterHub's config strings):
/// <c>part ('|' part)*</c>, <c>part = preset ['[' key '=' value (',' key '=' value)* ']']</c>.
/// Examples: <c>lora-attn</c>, <c>mam[l=16,r=16,s=2]</c>, <c>prefix[l=30]|scaled-pa[r=512,s=4]</c>.
/// Knobs: <c>l</c> prefix/prompt length, <c>r</c> bottleneck dimension or LoRA rank, <c>attn_r</c>/<c>ffn_r</c> for
/// two-adapter presets, <c>s</c> scaling (a number or <c>learned</c>), <c>alpha</c> LoRA alpha, <c>mid</c> prefix-MLP
/// hidden size (0 = no MLP), <c>gate</c> (<c>concat</c> or <c>explicit</c>).
/// </summary>
public static class MethodSpec
{
    /// <summary>Parses and validates a spec into a configuration.</summary>
    /// <exception cref="FormatException">Malformed text (empty, unbalanced brackets, a key without '='); the message gives the position.</exception>
    /// <exception cref="ArgumentException">Unknown preset or key, bad value, or two modifications at one site.</exception>
    public static PeftConfig Parse(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return Build(ParseParts(spec));
    }

    /// <summary>Parses the text into parts with every knob resolved against its preset (no cross-part validation).</summary>
    /// <exception cref="FormatException">Malformed text.</exception>
    /// <exception cref="ArgumentException">Unknown preset or key.</exception>
    public static IReadOnlyList<SpecPart> ParseParts(string spec)
    {
        var text = spec.Trim();
        if (text.Length == 0)
        {
            throw new FormatException("method spec is empty; expected e.g. 'lora-attn' or 'mam[l=16,r=16,s=2]'");
        }
        var parts = new List<SpecPart>();
        foreach (var (raw, offset) in SplitTopLevel(text))
        {
            parts.Add(ParsePart(raw, offset, spec));
        }
        return parts;
    }

    /// <summary>Builds and validates a configuration from resolved parts.</summary>
    /// <exception cref="ArgumentException">A bad knob value or two modifications at one site.</exception>
    public static PeftConfig Build(IReadOnlyList<SpecPart> parts)
    {
        var modifications = new List<Modification>();
        var backbone = BackboneTraining.Frozen;
        foreach (var part in parts)
        {
            var preset = Presets.Get(part.Preset);
            if (preset.Backbone > backbone)
            {
                backbone = preset.Backbone;
            }
            modifications.AddRange(preset.Build(new KnobReader(part)));
        }
        PeftConfig.ValidateModifications(modifications);
        return new PeftConfig
        {
            Spec = string.Join("|", parts.Select(p => p.ToString())),
            Backbone = backbone,
            Modifications = modifications,
            Parts = parts,
        };
    }

    private static IEnumerable<(string Text, int Offset)> SplitTopLevel(string text)
    {
        int depth = 0, start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '[': depth++; if (depth > 1) { throw new FormatException($"method spec '{text}': nested '[' at position {i}"); } break;
                case ']': depth--; if (depth < 0) { throw new FormatException($"method spec '{text}': unmatched ']' at position {i}"); } break;
                case '|' when depth == 0:
                    yield return (text[start..i], start);
                    start = i + 1;
                    break;
            }
        }
        if (depth != 0)
        {
            throw new FormatException($"method spec '{text}': missing ']'");
        }
        yield return (text[start..], start);
    }

    private static SpecPart ParsePart(string raw, int offset, string spec)
    {
        var part = raw.Trim();
        if (part.Length == 0)
        {
            throw new FormatException($"method spec '{spec}': empty part at position {offset} (two '|' in a row, or a trailing '|')");
        }
        var open = part.IndexOf('[', StringComparison.Ordinal);
        var name = (open < 0 ? part : part[..open]).Trim().ToLowerInvariant();
        var preset = Presets.Get(name);
        var given = new Dictionary<string, string>(StringComparer.Ordinal);
        if (open >= 0)
        {
            if (!part.EndsWith(']'))
            {
                throw new FormatException($"method spec '{spec}': text after ']' in part '{part}'");
            }
            var body = part[(open + 1)..^1];
            foreach (var item in body.Split(',', StringSplitOptions.TrimEntries))
            {
                if (item.Length == 0)
                {
                    throw new FormatException($"method spec '{spec}': empty key=value in part '{part}'");
                }
                var eq = item.IndexOf('=', StringComparison.Ordinal);
                if (eq <= 0 || eq == item.Length - 1)
                {
                    throw new FormatException($"method spec '{spec}': '{item}' in part '{part}' is not key=value");
                }
                var key = item[..eq].Trim().ToLowerInvariant();
                var value = item[(eq + 1)..].Trim();
                if (!preset.Knobs.Any(k => k.Name == key))
                {
                    throw new ArgumentException(preset.Knobs.Count == 0
                        ? $"{name}: unknown key '{key}'; {name} takes no keys"
                        : $"{name}: unknown key '{key}'; allowed keys: {string.Join(", ", preset.Knobs.Select(k => k.Name))}");
                }
                if (!given.TryAdd(key, value))
                {
                    throw new ArgumentException($"{name}: key '{key}' given twice");
                }
            }
        }
        var knobs = preset.Knobs.Select(k => new KeyValuePair<string, string>(k.Name, given.GetValueOrDefault(k.Name, k.Default))).ToList();
        return new SpecPart(name, knobs, given.Keys.ToHashSet());
    }
}

/// <summary>Typed access to a part's knob values, with errors that name the preset, knob and allowed values.</summary>
/// <param name="Part">The part being read.</param>
public sealed record KnobReader(SpecPart Part)
{
    /// <summary>A size knob (l or r): a positive integer.</summary>
    /// <exception cref="ArgumentException">Not an integer, or not ≥ 1.</exception>
    public int Size(string knob)
    {
        var text = Part[knob];
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            throw new ArgumentException($"{Part.Preset}: {knob}='{text}' is not an integer; allowed: a positive integer");
        }
        if (value < 1)
        {
            throw new ArgumentException($"{Part.Preset}: {knob}={value} must be a positive integer (≥ 1)");
        }
        return value;
    }

    /// <summary>A non-negative integer knob (e.g. <c>mid</c>, where 0 disables the MLP).</summary>
    /// <exception cref="ArgumentException">Not an integer ≥ 0.</exception>
    public int NonNegative(string knob)
    {
        var text = Part[knob];
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < 0)
        {
            throw new ArgumentException($"{Part.Preset}: {knob}='{text}' must be an integer ≥ 0");
        }
        return value;
    }

    /// <summary>A positive finite number (e.g. <c>alpha</c>).</summary>
    /// <exception cref="ArgumentException">Not a number &gt; 0.</exception>
    public double Positive(string knob)
    {
        var text = Part[knob];
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !(value > 0) || double.IsInfinity(value))
        {
            throw new ArgumentException($"{Part.Preset}: {knob}='{text}' must be a positive number");
        }
        return value;
    }

    /// <summary>The scaling knob s: a positive number, or <c>learned</c> for a trainable scalar initialised to 1.</summary>
    /// <exception cref="ArgumentException">Neither a positive number nor <c>learned</c>.</exception>
    public (double Scale, bool Trainable) Scale(string knob)
    {
        var text = Part[knob];
        if (text.Equals("learned", StringComparison.OrdinalIgnoreCase) || text.Equals("trainable", StringComparison.OrdinalIgnoreCase))
        {
            return (1.0, true);
        }
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !(value > 0) || double.IsInfinity(value))
        {
            throw new ArgumentException($"{Part.Preset}: {knob}='{text}' must be a positive number or 'learned'");
        }
        return (value, false);
    }

    /// <summary>One of a fixed set of words.</summary>
    /// <exception cref="ArgumentException">Not one of <paramref name="allowed"/>.</exception>
    public string Choice(string knob, params string[] allowed)
    {
        var text = Part[knob].ToLowerInvariant();
        if (!allowed.Contains(text))
        {
            throw new ArgumentException($"{Part.Preset}: {knob}='{Part[knob]}' is not allowed; allowed: {string.Join(", ", allowed)}");
        }
        return text;
    }
}
