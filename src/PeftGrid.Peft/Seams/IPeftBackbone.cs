using PeftGrid.Peft.Budget;
using TorchSharp.Modules;

namespace PeftGrid.Peft.Seams;

/// <summary>A linear projection of an encoder layer that a low-rank update may attach to.</summary>
public enum Projection
{
    /// <summary>W_q (HF <c>attention.self.query</c>).</summary>
    Query,
    /// <summary>W_k (HF <c>attention.self.key</c>).</summary>
    Key,
    /// <summary>W_v (HF <c>attention.self.value</c>).</summary>
    Value,
    /// <summary>W_o (HF <c>attention.output.dense</c>).</summary>
    AttentionOutput,
    /// <summary>W_1 (HF <c>intermediate.dense</c>), d → d_m.</summary>
    FfnIn,
    /// <summary>W_2 (HF <c>output.dense</c>), d_m → d.</summary>
    FfnOut,
}

/// <summary>
/// What a backbone exposes to the PEFT framework (DESIGN.md §2): its shape, its seams, its linear projections and its
/// named pretrained parameters. Δh modules attach here; the backbone's forward never changes per method.
/// </summary>
public interface IPeftBackbone
{
    /// <summary>The backbone's shape (d, L, heads, d_m, vocabulary, …).</summary>
    ModelShape Shape { get; }

    /// <summary>The seams the backbone's forward consults.</summary>
    EncoderSeams Seams { get; }

    /// <summary>The projection <paramref name="which"/> of layer <paramref name="layer"/> (0-based).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Layer out of range.</exception>
    SeamLinear GetProjection(int layer, Projection which);

    /// <summary>The pretrained parameters with their HF key names (e.g. <c>encoder.layer.0.attention.self.query.bias</c>).</summary>
    IEnumerable<(string Name, Parameter Parameter)> PretrainedParameters();

    /// <summary>The HF key path of layer <paramref name="layer"/>'s projection <paramref name="which"/>, e.g. <c>encoder.layer.0.attention.self.query</c>.</summary>
    string ProjectionPath(int layer, Projection which);
}
