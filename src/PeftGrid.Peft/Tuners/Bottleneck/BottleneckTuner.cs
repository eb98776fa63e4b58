using PeftGrid.Peft.Adapters;
using PeftGrid.Peft.Framework;
using PeftGrid.Peft.Seams;

namespace PeftGrid.Peft.Tuners.Bottleneck;

/// <summary>
/// Attaches a <see cref="BottleneckAdapter"/> at every site of one hidden-state position: attention parallel → before W_o
/// (<see cref="SeamPosition.PreOutput"/>), attention sequential → after W_o (<see cref="SeamPosition.PostOutput"/>), FFN →
/// <see cref="SeamPosition.Output"/>, FFN after norm → <see cref="SeamPosition.AfterNorm"/> (PAPER.md §5.4). Names:
/// <c>{site key path}.adapter</c>, or <c>.adapter_after_norm</c> after the norm.
/// </summary>
public sealed class BottleneckTuner : ITuner
{
    /// <summary>The instance in <see cref="TunerRegistry"/>.</summary>
    public static BottleneckTuner Instance { get; } = new();

    private BottleneckTuner() { }

    /// <summary>The position a bottleneck modification attaches at.</summary>
    /// <exception cref="ArgumentException">Not a hidden-state representation.</exception>
    public static SeamPosition PositionOf(Modification m) => (m.Representation, m.Insertion) switch
    {
        (ModifiedRepresentation.Attention, InsertionForm.Parallel) => SeamPosition.PreOutput,
        (ModifiedRepresentation.Attention, _) => SeamPosition.PostOutput,
        (ModifiedRepresentation.Ffn, _) => SeamPosition.Output,
        (ModifiedRepresentation.FfnAfterNorm, _) => SeamPosition.AfterNorm,
        _ => throw new ArgumentException($"{m.Name}: a bottleneck adapter cannot modify '{m.Representation}'; allowed: Attention, Ffn, FfnAfterNorm", nameof(m)),
    };

    /// <inheritdoc />
    public IReadOnlyList<SeamSite> Targets(IReadOnlyList<SeamSite> sites, Modification m) => Tuner.AtPositions(sites, m, PositionOf(m));

    /// <inheritdoc />
    public void Attach(AdapterSet set, IPeftBackbone backbone, Modification m)
    {
        var options = BottleneckOptions.From(m);
        foreach (var site in Targets(backbone.Sites, m))
        {
            var name = site.KeyPath + (site.Position == SeamPosition.AfterNorm ? ".adapter_after_norm" : ".adapter");
            set.Attach(site, name, new BottleneckAdapter("adapter", backbone.Shape.HiddenSize, options));
        }
    }
}
