using PeftGrid.Peft.Budget;
using TorchSharp.Modules;

namespace PeftGrid.Peft.Seams;

/// <summary>
/// What a backbone exposes to the PEFT framework (DESIGN.md §2): its shape, its seam sites, the linear projection at each
/// projection site, and its named pretrained parameters. The backbone holds no PEFT state: the Δh modules of a configuration
/// live in an adapter set that the caller passes into the backbone's forward, so several sets can share one frozen backbone.
/// </summary>
public interface IPeftBackbone
{
    /// <summary>The backbone's shape (d, L, heads, d_m, vocabulary, …).</summary>
    ModelShape Shape { get; }

    /// <summary>Every seam site, in forward order (embeddings, then per layer from the attention input to the FFN output).</summary>
    IReadOnlyList<SeamSite> Sites { get; }

    /// <summary>The projection at <paramref name="site"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="site"/> is not a projection site of this backbone.</exception>
    SeamLinear Projection(SeamSite site);

    /// <summary>The pretrained parameters with their HF key names (e.g. <c>encoder.layer.0.attention.self.query.bias</c>).</summary>
    IEnumerable<(string Name, Parameter Parameter)> PretrainedParameters();
}
