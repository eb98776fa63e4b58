using PeftGrid.Peft.Modules;
using static TorchSharp.torch;

namespace PeftGrid.Peft.Seams;

/// <summary>How the backbone's attention uses the prefix keys/values of <see cref="EncoderSeams.Prefix"/>.</summary>
public enum PrefixUse
{
    /// <summary>No prefix.</summary>
    None,
    /// <summary>Concatenate in front of keys/values (prefix tuning, Eq. 5).</summary>
    Concat,
    /// <summary>Separate Δh = softmax(q P_kᵀ/√d_h) P_v, gated (1−λ)h + λΔh (Eq. 7–9).</summary>
    Gated,
    /// <summary>Separate Δh = softmax(q P_kᵀ/√d_h) P_v, added: h + Δh (−gating).</summary>
    Add,
    /// <summary>Separate Δh = ReLU(q P_kᵀ/√d_h) P_v, added: h + Δh (multi-head parallel adapter).</summary>
    ReluAdd,
}

/// <summary>A sub-layer seam: where an adapter composes with a sub-layer's output h given its input x.</summary>
public sealed class SubLayerSeam
{
    /// <summary>The attached adapter, if any.</summary>
    public BottleneckAdapter? Adapter { get; private set; }

    /// <summary>Attaches an adapter.</summary>
    /// <exception cref="InvalidOperationException">One is already attached.</exception>
    public void Attach(BottleneckAdapter adapter)
    {
        if (Adapter is not null)
        {
            throw new InvalidOperationException("an adapter is already attached at this seam");
        }
        Adapter = adapter;
    }

    /// <summary>h when nothing is attached, else the adapter's composition. x, h: [B, T, d].</summary>
    public Tensor Compose(Tensor x, Tensor h) => Adapter is null ? h : Adapter.Compose(x, h);
}

/// <summary>The seams of one encoder layer (DESIGN.md §2): one per sub-layer position.</summary>
public sealed class LayerSeams
{
    /// <summary>On the concatenated head outputs, before W_o; x = the attention input (parallel adapter at attention).</summary>
    public SubLayerSeam AttentionPreOutput { get; } = new();
    /// <summary>After W_o, before dropout, residual and LayerNorm; h = the projected attention output (sequential adapter at attention).</summary>
    public SubLayerSeam AttentionPostOutput { get; } = new();
    /// <summary>After fc2 and dropout, before the residual add; x = the FFN input (FFN adapters).</summary>
    public SubLayerSeam FfnOutput { get; } = new();
    /// <summary>After the FFN add &amp; LayerNorm (Pfeiffer): z = LN(x + F); output LN(x + F + A(z)) with the same LayerNorm.</summary>
    public SubLayerSeam FfnAfterNorm { get; } = new();
}

/// <summary>All seams of an encoder: input embeddings, prefixes, and per-layer sub-layer seams.</summary>
public sealed class EncoderSeams
{
    /// <summary>Creates seams for <paramref name="numLayers"/> layers.</summary>
    public EncoderSeams(int numLayers) => Layers = Enumerable.Range(0, numLayers).Select(_ => new LayerSeams()).ToArray();

    /// <summary>Prompt vectors prepended to the input embeddings (their positions are stripped from the encoder output).</summary>
    public PromptEmbedding? Prompt { get; set; }

    /// <summary>Prefix keys/values for every layer's attention, [L, 2, l, d].</summary>
    public PrefixEncoder? Prefix { get; set; }

    /// <summary>How attention uses <see cref="Prefix"/>.</summary>
    public PrefixUse PrefixUse { get; set; }

    /// <summary>Per-layer seams.</summary>
    public IReadOnlyList<LayerSeams> Layers { get; }
}
