using System.Globalization;

namespace PeftGrid.Peft.Specs;

/// <summary>What kind of value a knob takes; fixes its validation and its canonical text.</summary>
public enum KnobKind
{
    /// <summary>A size the budget solver may set (l, r, attn_r, ffn_r): an integer ≥ 1, written as an integer.</summary>
    Size,
    /// <summary>An integer ≥ 0 (<c>mid</c>, where 0 disables the MLP), written as an integer.</summary>
    Count,
    /// <summary>A positive finite number (<c>alpha</c>), written in the shortest round-trip invariant form (<c>2</c>, <c>0.5</c>).</summary>
    Number,
    /// <summary>A positive finite number or <c>learned</c> (<c>s</c>); <c>trainable</c> is accepted and written <c>learned</c>.</summary>
    Scale,
    /// <summary>One word of <see cref="Knob.Choices"/>, written lower-case.</summary>
    Choice,
}

/// <summary>A knob of a preset.</summary>
/// <param name="Name">Knob name in the spec (<c>l</c>, <c>r</c>, <c>s</c>, <c>alpha</c>, …).</param>
/// <param name="Default">Default value text in canonical form (encoder / GLUE defaults, PAPER.md §1.13 and §3.5).</param>
/// <param name="Kind">The kind of value.</param>
/// <param name="Description">What the knob means.</param>
public sealed record Knob(string Name, string Default, KnobKind Kind, string Description)
{
    /// <summary>The allowed words of a <see cref="KnobKind.Choice"/> knob.</summary>
    public IReadOnlyList<string> Choices { get; init; } = [];

    /// <summary>
    /// The size knob this knob is proportional to when the budget solver sets that size, or null. LoRA's <c>alpha</c>
    /// follows <c>r</c>, so that s = alpha / r stays what the spec resolves to (see <see cref="Budget.BudgetSolver.Rule"/>).
    /// </summary>
    public string? ScalesWith { get; init; }

    /// <summary>True for sizes the budget solver may set (l, r, attn_r, ffn_r).</summary>
    public bool IsSize => Kind == KnobKind.Size;

    /// <summary>The canonical text of <paramref name="text"/> for this knob: integers without sign or leading zeros, numbers in
    /// the shortest round-trip invariant form (<c>2.0</c>, <c>2e0</c> → <c>2</c>), words lower-case.</summary>
    /// <param name="preset">The preset name, for error messages.</param>
    /// <param name="text">The value as written.</param>
    /// <exception cref="ArgumentException">Not a valid value of this kind; the message names the preset, knob and allowed values.</exception>
    public string Canonical(string preset, string text) => Kind switch
    {
        KnobKind.Size => KnobValues.Size(preset, Name, text).ToString(CultureInfo.InvariantCulture),
        KnobKind.Count => KnobValues.NonNegative(preset, Name, text).ToString(CultureInfo.InvariantCulture),
        KnobKind.Number => KnobValues.Format(KnobValues.Positive(preset, Name, text)),
        KnobKind.Scale => KnobValues.Scale(preset, Name, text) is (var s, false) ? KnobValues.Format(s) : KnobValues.Learned,
        KnobKind.Choice => KnobValues.Choice(preset, Name, text, Choices),
        _ => throw new ArgumentOutOfRangeException(nameof(Kind), Kind, "unknown knob kind"),
    };
}

/// <summary>Parsing of knob values, with errors that name the preset, knob and allowed values.</summary>
internal static class KnobValues
{
    /// <summary>The canonical word of a trainable scale.</summary>
    internal const string Learned = "learned";

    /// <summary>The shortest round-trip invariant text of a number (<c>2</c>, <c>0.5</c>, <c>1E-05</c>).</summary>
    internal static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    internal static int Size(string preset, string knob, string text)
    {
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            throw new ArgumentException($"{preset}: {knob}='{text}' is not an integer; allowed: a positive integer");
        }
        return value >= 1 ? value : throw new ArgumentException($"{preset}: {knob}={value} must be a positive integer (≥ 1)");
    }

    internal static int NonNegative(string preset, string knob, string text) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= 0
            ? value : throw new ArgumentException($"{preset}: {knob}='{text}' must be an integer ≥ 0");

    internal static double Positive(string preset, string knob, string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value > 0 && !double.IsInfinity(value)
            ? value : throw new ArgumentException($"{preset}: {knob}='{text}' must be a positive number");

    internal static (double Scale, bool Trainable) Scale(string preset, string knob, string text)
    {
        if (text.Equals(Learned, StringComparison.OrdinalIgnoreCase) || text.Equals("trainable", StringComparison.OrdinalIgnoreCase))
        {
            return (1.0, true);
        }
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value > 0 && !double.IsInfinity(value)
            ? (value, false) : throw new ArgumentException($"{preset}: {knob}='{text}' must be a positive number or '{Learned}'");
    }

    internal static string Choice(string preset, string knob, string text, IReadOnlyList<string> allowed)
    {
        var word = text.ToLowerInvariant();
        return allowed.Contains(word) ? word : throw new ArgumentException($"{preset}: {knob}='{text}' is not allowed; allowed: {string.Join(", ", allowed)}");
    }
}
