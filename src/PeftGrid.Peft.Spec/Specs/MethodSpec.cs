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
/// hidden size (0 = no MLP), <c>gate</c> (<c>concat</c> or <c>explicit</c>). A size written <c>*</c> (<c>mam[l=*,r=*]</c>)
/// counts as not written: its default, or the size a budget tier solves.
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

    /// <summary>Builds and validates a configuration from resolved parts; every knob value is rewritten in its canonical text
    /// (see <see cref="Knob.Canonical"/>), so the configuration's <see cref="PeftConfig.Spec"/> is its canonical resolved form.</summary>
    /// <exception cref="ArgumentException">A bad knob value or two modifications at one site.</exception>
    public static PeftConfig Build(IReadOnlyList<SpecPart> parts)
    {
        var modifications = new List<Modification>();
        var canonical = new List<SpecPart>();
        var backbone = BackboneTraining.Frozen;
        foreach (var given in parts)
        {
            var preset = Presets.Get(given.Preset);
            var part = given with
            {
                Preset = preset.Name,
                Knobs = preset.Knobs.Select(k => new KeyValuePair<string, string>(k.Name, k.Canonical(preset.Name, given[k.Name]))).ToList(),
            };
            if (preset.Backbone > backbone)
            {
                backbone = preset.Backbone;
            }
            modifications.AddRange(preset.Build(new KnobReader(part)));
            canonical.Add(part);
        }
        PeftConfig.ValidateModifications(modifications);
        return new PeftConfig
        {
            Spec = string.Join("|", canonical.Select(p => p.ToString())),
            Backbone = backbone,
            Modifications = modifications,
            Parts = canonical,
        };
    }

    /// <summary>
    /// The canonical resolved form of <paramref name="spec"/>: preset names lower-case, every knob written (defaults included)
    /// in the preset's order, numbers in one invariant form, words lower-case, parts joined by <c>|</c>. <c>mam</c>, <c>MAM</c>,
    /// <c>mam[r=16,l=16,s=2]</c> and <c>mam[s=2.0,l=16,r=16,mid=800]</c> all give <c>mam[l=16,r=16,s=2,mid=800]</c>.
    /// </summary>
    /// <exception cref="FormatException">Malformed text.</exception>
    /// <exception cref="ArgumentException">Unknown preset or key, bad value, or two modifications at one site.</exception>
    public static string Canonical(string spec) => Parse(spec).Spec;

    /// <summary>
    /// The method family of a spec: its preset names joined by <c>|</c>, without sizes, e.g. <c>lora-attn</c> for
    /// <c>lora-attn[r=2,alpha=4]</c> or <c>prefix|scaled-pa</c> for <c>prefix[l=30]|scaled-pa[r=512,s=4]</c>: what one
    /// marker colour stands for across budget tiers. Text that does not parse is returned up to its first <c>[</c>.
    /// </summary>
    /// <param name="spec">A compact method spec in any spelling.</param>
    public static string PresetName(string spec)
    {
        try
        {
            return string.Join("|", ParseParts(spec).Select(p => p.Preset));
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            var open = spec.IndexOf('[', StringComparison.Ordinal);
            return (open < 0 ? spec : spec[..open]).Trim();
        }
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
        var seen = new HashSet<string>(StringComparer.Ordinal);
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
                if (preset.Knobs.FirstOrDefault(k => k.Name == key) is not { } knob)
                {
                    throw new ArgumentException(preset.Knobs.Count == 0
                        ? $"{name}: unknown key '{key}'; {name} takes no keys"
                        : $"{name}: unknown key '{key}'; allowed keys: {string.Join(", ", preset.Knobs.Select(k => k.Name))}");
                }
                if (!seen.Add(key))
                {
                    throw new ArgumentException($"{name}: key '{key}' given twice");
                }
                if (value != SpecPart.Free)
                {
                    given[key] = value;
                }
                else if (!knob.IsSize)
                {
                    throw new ArgumentException($"{name}: {key}='{SpecPart.Free}' is not allowed; only sizes " +
                        $"({string.Join(", ", preset.Knobs.Where(k => k.IsSize).Select(k => k.Name))}) may be left to the budget solver");
                }
            }
        }
        var knobs = preset.Knobs.Select(k => new KeyValuePair<string, string>(k.Name, given.GetValueOrDefault(k.Name, k.Default))).ToList();
        return new SpecPart(name, knobs, given.Keys.ToHashSet());
    }
}
