using PeftGrid.Peft.Adapters;
using PeftGrid.Peft.Framework;
using PeftGrid.Peft.Seams;

namespace PeftGrid.Peft.Tuners.Prefix;

/// <summary>
/// Attaches prefix keys/values at every <see cref="SeamPosition.PrefixKeysValues"/> site (every attention of the backbone). Each
/// attention type has its own <see cref="PrefixEncoder"/> (role <see cref="ParameterRole.PrefixEncoder"/>) producing the prefixes
/// of all its layers, and each site reads its slice (PAPER.md §1.4, §1.5, §1.10): one encoder named <c>prefix_encoder</c> on a
/// BERT/RoBERTa encoder; three independent ones on an encoder-decoder (PAPER.md §5.1), named
/// <c>prefix_encoder.encoder_self</c>, <c>prefix_encoder.decoder_self</c> and <c>prefix_encoder.decoder_cross</c>, created in that order.
/// </summary>
public sealed class PrefixTuner : ITuner
{
    /// <summary>The instance in <see cref="TunerRegistry"/>.</summary>
    public static PrefixTuner Instance { get; } = new();

    private PrefixTuner() { }

    /// <inheritdoc />
    public IReadOnlyList<SeamSite> Targets(IReadOnlyList<SeamSite> sites, Modification m) =>
        Tuner.AtPositions(sites, m, SeamPosition.PrefixKeysValues);

    /// <summary>The attention types of <paramref name="targets"/> (stack, kind) in a fixed order — encoder self, decoder self,
    /// decoder cross — each with its sites in backbone order.</summary>
    public static IReadOnlyList<(SeamStack Stack, AttentionKind Kind, IReadOnlyList<SeamSite> Sites)> Groups(IReadOnlyList<SeamSite> targets) =>
        targets.GroupBy(s => (s.Stack, s.Attention)).OrderBy(g => g.Key.Stack).ThenBy(g => g.Key.Attention)
            .Select(g => (g.Key.Stack, g.Key.Attention, (IReadOnlyList<SeamSite>)g.ToList())).ToList();

    /// <summary>The module name of a group's encoder: <c>prefix_encoder</c> when the backbone has one attention type, else
    /// <c>prefix_encoder.{encoder|decoder}_{self|cross}</c>.</summary>
    public static string EncoderName(SeamStack stack, AttentionKind kind, int groups) =>
        groups == 1 ? "prefix_encoder" : $"prefix_encoder.{stack.ToString().ToLowerInvariant()}_{kind.ToString().ToLowerInvariant()}";

    /// <inheritdoc />
    public void Attach(AdapterSet set, IPeftBackbone backbone, Modification m)
    {
        var options = PrefixOptions.From(m);
        var groups = Groups(Targets(backbone.Sites, m));
        foreach (var (stack, kind, sites) in groups)
        {
            var encoder = set.Register(EncoderName(stack, kind, groups.Count),
                new PrefixEncoder("prefix", options.Length, sites.Count, backbone.Shape.HiddenSize, options.MidDim), ParameterRole.PrefixEncoder);
            for (var i = 0; i < sites.Count; i++)
            {
                set.Bind(sites[i], new PrefixSiteAttention(encoder, i, options.Use));
            }
        }
    }
}
