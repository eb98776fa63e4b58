namespace PeftGrid.Peft.Specs;

/// <summary>Typed access to a part's knob values, with errors that name the preset, knob and allowed values.</summary>
/// <param name="Part">The part being read.</param>
public sealed record KnobReader(SpecPart Part)
{
    /// <summary>A size knob (l or r): a positive integer.</summary>
    /// <exception cref="ArgumentException">Not an integer, or not ≥ 1.</exception>
    public int Size(string knob) => KnobValues.Size(Part.Preset, knob, Part[knob]);

    /// <summary>A non-negative integer knob (e.g. <c>mid</c>, where 0 disables the MLP).</summary>
    /// <exception cref="ArgumentException">Not an integer ≥ 0.</exception>
    public int NonNegative(string knob) => KnobValues.NonNegative(Part.Preset, knob, Part[knob]);

    /// <summary>A positive finite number (e.g. <c>alpha</c>).</summary>
    /// <exception cref="ArgumentException">Not a number &gt; 0.</exception>
    public double Positive(string knob) => KnobValues.Positive(Part.Preset, knob, Part[knob]);

    /// <summary>The scaling knob s: a positive number, or <c>learned</c> for a trainable scalar initialised to 1.</summary>
    /// <exception cref="ArgumentException">Neither a positive number nor <c>learned</c>.</exception>
    public (double Scale, bool Trainable) Scale(string knob) => KnobValues.Scale(Part.Preset, knob, Part[knob]);

    /// <summary>One of the knob's <see cref="Knob.Choices"/>, lower-cased.</summary>
    /// <exception cref="ArgumentException">Not one of the allowed words.</exception>
    public string Choice(string knob) =>
        KnobValues.Choice(Part.Preset, knob, Part[knob], Presets.Get(Part.Preset).Knobs.First(k => k.Name == knob).Choices);
}
