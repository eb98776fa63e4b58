using PeftGrid.Peft.Adapters;
using PeftGrid.Peft.Framework;
using PeftGrid.Peft.Seams;

namespace PeftGrid.Peft.Tuners.Prompt;

/// <summary>
/// Attaches one <see cref="PromptEmbedding"/> (named <c>prompt_encoder</c>) at the encoder's
/// <see cref="SeamPosition.InputEmbeddings"/> site (PAPER.md §1.3).
/// </summary>
public sealed class PromptTuner : ITuner
{
    /// <summary>The instance in <see cref="TunerRegistry"/>.</summary>
    public static PromptTuner Instance { get; } = new();

    private PromptTuner() { }

    /// <inheritdoc />
    public IReadOnlyList<SeamSite> Targets(IReadOnlyList<SeamSite> sites, Modification m)
    {
        var encoder = Tuner.AtPositions(sites, m, SeamPosition.InputEmbeddings).Where(s => s.Stack == SeamStack.Encoder).ToList();
        return encoder.Count == 1 ? encoder
            : throw new ArgumentException($"{m.Name}: the backbone has {encoder.Count} encoder input-embedding sites; prompt tuning needs exactly one", nameof(sites));
    }

    /// <inheritdoc />
    public void Attach(AdapterSet set, IPeftBackbone backbone, Modification m)
    {
        var site = Targets(backbone.Sites, m)[0];
        set.Attach(site, "prompt_encoder", new PromptEmbedding("prompt", PromptOptions.From(m).Length, backbone.Shape.HiddenSize));
    }
}
