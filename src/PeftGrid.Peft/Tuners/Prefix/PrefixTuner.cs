using PeftGrid.Peft.Adapters;
using PeftGrid.Peft.Framework;
using PeftGrid.Peft.Seams;

namespace PeftGrid.Peft.Tuners.Prefix;

/// <summary>
/// Attaches prefix keys/values at every <see cref="SeamPosition.PrefixKeysValues"/> site (every attention of the backbone):
/// one <see cref="PrefixEncoder"/> (named <c>prefix_encoder</c>, role <see cref="ParameterRole.PrefixEncoder"/>) produces the
/// prefixes of all of them, and each site reads its slice (PAPER.md §1.4, §1.5, §1.10).
/// </summary>
public sealed class PrefixTuner : ITuner
{
    /// <summary>The instance in <see cref="TunerRegistry"/>.</summary>
    public static PrefixTuner Instance { get; } = new();

    private PrefixTuner() { }

    /// <inheritdoc />
    public IReadOnlyList<SeamSite> Targets(IReadOnlyList<SeamSite> sites, Modification m) =>
        Tuner.AtPositions(sites, m, SeamPosition.PrefixKeysValues);

    /// <inheritdoc />
    public void Attach(AdapterSet set, IPeftBackbone backbone, Modification m)
    {
        var options = PrefixOptions.From(m);
        var targets = Targets(backbone.Sites, m);
        var encoder = set.Register("prefix_encoder",
            new PrefixEncoder("prefix", options.Length, targets.Count, backbone.Shape.HiddenSize, options.MidDim), ParameterRole.PrefixEncoder);
        for (var i = 0; i < targets.Count; i++)
        {
            set.Bind(targets[i], new PrefixSiteAttention(encoder, i, options.Use));
        }
    }
}
