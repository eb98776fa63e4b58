using System.Globalization;

namespace PeftGrid.Peft.Specs;

/// <summary>One part of a compact spec: a preset name with its knob values, e.g. <c>scaled-pa[r=512,s=4]</c>.</summary>
/// <param name="Preset">The preset name, lower-case.</param>
/// <param name="Knobs">Every knob of the preset, resolved (explicit or default), in the preset's order.</param>
/// <param name="Explicit">The knob names the user wrote (the budget solver leaves these alone).</param>
public sealed record SpecPart(string Preset, IReadOnlyList<KeyValuePair<string, string>> Knobs, IReadOnlySet<string> Explicit)
{
    /// <summary>The value written for a size knob left to the budget solver: <c>l=*</c> reads as "not written".</summary>
    public const string Free = "*";

    /// <summary>The knob's value text.</summary>
    /// <exception cref="KeyNotFoundException">The preset has no such knob.</exception>
    public string this[string knob] => Knobs.FirstOrDefault(k => k.Key == knob) is { Key: not null } kv
        ? kv.Value : throw new KeyNotFoundException($"{Preset}: no knob '{knob}'");

    /// <summary>Canonical text with every knob written, e.g. <c>lora-attn[r=16,alpha=32]</c>; a knob-less preset is its bare name.</summary>
    public override string ToString() => Text(markFreeSizes: false);

    /// <summary>The text of this part; with <paramref name="markFreeSizes"/>, every size knob the user did not write is
    /// written <c>*</c> (e.g. <c>lora-attn[r=*,alpha=32]</c>), the form a budget-tier cell carries.</summary>
    public string Text(bool markFreeSizes) => Knobs.Count == 0 ? Preset : $"{Preset}[{string.Join(",", Knobs.Select(k =>
        $"{k.Key}={(markFreeSizes && !Explicit.Contains(k.Key) && Presets.Get(Preset).Knobs.First(x => x.Name == k.Key).IsSize ? Free : k.Value)}"))}]";

    /// <summary>A copy with <paramref name="knob"/> set to the integer <paramref name="value"/>.</summary>
    public SpecPart With(string knob, int value) => With(knob, value.ToString(CultureInfo.InvariantCulture));

    /// <summary>A copy with <paramref name="knob"/> set to <paramref name="value"/> (canonicalised when the part is built).</summary>
    public SpecPart With(string knob, string value) =>
        this with { Knobs = Knobs.Select(k => k.Key == knob ? new KeyValuePair<string, string>(k.Key, value) : k).ToList() };
}
