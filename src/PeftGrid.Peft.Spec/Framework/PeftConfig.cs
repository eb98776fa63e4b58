using PeftGrid.Peft.Budget;

namespace PeftGrid.Peft.Framework;

/// <summary>
/// A PEFT configuration: which pretrained parameters train, plus a validated list of modifications
/// (DESIGN.md §2). Build one from the compact text form with <see cref="Parse"/> or from <see cref="Specs.Presets"/>.
/// </summary>
public sealed record PeftConfig
{
    /// <summary>
    /// The canonical resolved form, the one text of this configuration: preset names lower-case, every knob written (defaults
    /// included) in the preset's order, numbers in one invariant form (<c>s=2</c>, never <c>s=2.0</c>), words lower-case, parts
    /// joined by <c>|</c>; e.g. <c>prefix[l=16,mid=800,gate=concat]|scaled-pa[r=16,s=2]</c>. Cell ids, leaderboard rows and
    /// result files use it.
    /// </summary>
    public required string Spec { get; init; }
    /// <summary>Which pretrained parameters train.</summary>
    public required BackboneTraining Backbone { get; init; }
    /// <summary>The Δh modifications, in spec order.</summary>
    public required IReadOnlyList<Modification> Modifications { get; init; }
    /// <summary>The parsed parts (preset name + knob values) this configuration was built from.</summary>
    public required IReadOnlyList<Specs.SpecPart> Parts { get; init; }

    /// <summary>
    /// The form a budget-tier cell carries: <see cref="Spec"/> with every size the spec did not write marked <c>*</c>, e.g.
    /// <c>mam[l=*,r=*,s=2,mid=800]</c> for <c>mam</c>; the worker solves the marked sizes for the tier. Equal to
    /// <see cref="Spec"/> when every size is written.
    /// </summary>
    public string TierSpec => string.Join("|", Parts.Select(p => p.Text(markFreeSizes: true)));

    /// <summary>Parses and validates the compact text form (see <see cref="Specs.MethodSpec"/>).</summary>
    /// <exception cref="FormatException">Malformed text; the message gives the position.</exception>
    /// <exception cref="ArgumentException">Unknown preset or key, bad value, or two modifications at one site; the message names the field and the allowed values.</exception>
    public static PeftConfig Parse(string spec) => Specs.MethodSpec.Parse(spec);

    /// <summary>Checks the configuration against a model: every r ≤ d (bottleneck/rank larger than the hidden size is an error).</summary>
    /// <exception cref="ArgumentException">A size does not fit the model; the message names the knob, its value and the limit.</exception>
    public PeftConfig ValidateFor(ModelShape shape)
    {
        foreach (var m in Modifications)
        {
            if (m.SizeName == "r" && m.Size > shape.HiddenSize)
            {
                throw new ArgumentException(
                    $"{m.Name}: r={m.Size} is larger than the model's hidden size d={shape.HiddenSize} of '{shape.Name}'; allowed: 1 ≤ r ≤ {shape.HiddenSize}");
            }
        }
        return this;
    }

    /// <summary>Validates a list of modifications as a whole: sizes ≥ 1, dropout in [0,1), one modification per site.</summary>
    /// <exception cref="ArgumentException">The first violation, naming the modification and field.</exception>
    public static void ValidateModifications(IReadOnlyList<Modification> modifications)
    {
        var sites = new Dictionary<string, string>();
        foreach (var m in modifications)
        {
            if (m.Size < 1)
            {
                throw new ArgumentException($"{m.Name}: {m.SizeName}={m.Size} must be a positive integer (≥ 1)");
            }
            if (m.Dropout is < 0 or >= 1)
            {
                throw new ArgumentException($"{m.Name}: dropout={m.Dropout} must be in [0, 1)");
            }
            if (!m.TrainableScale && (double.IsNaN(m.Scale) || double.IsInfinity(m.Scale)))
            {
                throw new ArgumentException($"{m.Name}: s={m.Scale} must be a finite number");
            }
            if (sites.TryGetValue(m.Site, out var other))
            {
                throw new ArgumentException($"{m.Name} and {other} both modify the site '{m.Site}'; a configuration may hold one modification per site");
            }
            sites[m.Site] = m.Name;
        }
    }
}
