using System.Globalization;

namespace PeftGrid.Peft.Specs;

/// <summary>One part of a compact spec: a preset name with its knob values, e.g. <c>scaled-pa[r=512,s=4]</c>.</summary>
/// <param name="Preset">The preset name.</param>
/// <param name="Knobs">Every knob of the preset, resolved (explicit or default), in the preset's order.</param>
/// <param name="Explicit">The knob names the user wrote (the budget solver leaves these alone).</param>
public sealed record SpecPart(string Preset, IReadOnlyList<KeyValuePair<string, string>> Knobs, IReadOnlySet<string> Explicit)
{
    /// <summary>The knob's value text.</summary>
    /// <exception cref="KeyNotFoundException">The preset has no such knob.</exception>
    public string this[string knob] => Knobs.First(k => k.Key == knob).Value;

    /// <summary>Canonical text, e.g. <c>lora-attn[r=16,alpha=32]</c>; a knob-less preset is its bare name.</summary>
    public override string ToString() =>
        Knobs.Count == 0 ? Preset : $"{Preset}[{string.Join(",", Knobs.Select(k => $"{k.Key}={k.Value}"))}]";

    /// <summary>A copy with <paramref name="knob"/> set to the integer <paramref name="value"/>.</summary>
    public SpecPart With(string knob, int value) =>
        this with { Knobs = Knobs.Select(k => k.Key == knob ? new KeyValuePair<string, string>(k.Key, value.ToString(CultureInfo.InvariantCulture)) : k).ToList() };
}
