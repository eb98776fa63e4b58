using PeftGrid.Peft.Adapters;
using PeftGrid.Peft.Framework;
using PeftGrid.Peft.Seams;

namespace PeftGrid.Peft.Tuners.Lora;

/// <summary>
/// Attaches a <see cref="LoraLinear"/> at every W_q and W_v (attention weights) or W_1 and W_2 (FFN weights) site, layer by
/// layer (PAPER.md §1.6). Names: the projection's key path, e.g. <c>encoder.layer.0.attention.self.query</c>, so parameters are
/// <c>base_model.model.encoder.layer.0.attention.self.query.lora_A.weight</c> as in HF peft.
/// </summary>
public sealed class LoraTuner : ITuner
{
    /// <summary>The instance in <see cref="TunerRegistry"/>.</summary>
    public static LoraTuner Instance { get; } = new();

    private LoraTuner() { }

    /// <inheritdoc />
    public IReadOnlyList<SeamSite> Targets(IReadOnlyList<SeamSite> sites, Modification m) => m.Representation switch
    {
        ModifiedRepresentation.AttentionWeights => Tuner.AtPositions(sites, m, SeamPosition.Query, SeamPosition.Value),
        ModifiedRepresentation.FfnWeights => Tuner.AtPositions(sites, m, SeamPosition.FfnIn, SeamPosition.FfnOut),
        _ => throw new ArgumentException($"{m.Name}: LoRA cannot modify '{m.Representation}'; allowed: AttentionWeights, FfnWeights", nameof(m)),
    };

    /// <inheritdoc />
    public void Attach(AdapterSet set, IPeftBackbone backbone, Modification m)
    {
        var options = LoraOptions.From(m);
        foreach (var site in Targets(backbone.Sites, m))
        {
            var linear = backbone.Projection(site);
            set.Attach(site, site.KeyPath, new LoraLinear("lora", linear.InFeatures, linear.OutFeatures, options));
        }
    }
}
