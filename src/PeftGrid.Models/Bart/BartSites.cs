using PeftGrid.Peft.Seams;

namespace PeftGrid.Models.Bart;

/// <summary>
/// The seam sites of one BART/mBART layer with their HF module paths (<c>model.{encoder|decoder}.layers.{i}.…</c>), in forward
/// order: self-attention (<c>self_attn</c>: prefix, q_proj, k_proj, v_proj, before out_proj, out_proj, after out_proj), in a decoder
/// layer the cross-attention (<c>encoder_attn</c>, same seven), then the FFN (<c>fc1</c>, <c>fc2</c>, and the FFN output / after-norm
/// positions held by the layer itself, <c>model.{stack}.layers.{i}</c>). 11 sites per encoder layer, 18 per decoder layer.
/// </summary>
public sealed class BartLayerSites
{
    /// <summary>Creates the sites of layer <paramref name="layer"/> (0-based) of <paramref name="stack"/>.</summary>
    public BartLayerSites(SeamStack stack, int layer)
    {
        var path = $"model.{(stack == SeamStack.Encoder ? "encoder" : "decoder")}.layers.{layer}";
        AttentionSites Attention(AttentionKind kind, string module)
        {
            var m = $"{path}.{module}";
            return AttentionSites.Create(stack, layer, kind, m, $"{m}.q_proj", $"{m}.k_proj", $"{m}.v_proj", $"{m}.out_proj", $"{m}.out_proj");
        }
        LayerPath = path;
        Self = Attention(AttentionKind.Self, "self_attn");
        Cross = stack == SeamStack.Decoder ? Attention(AttentionKind.Cross, "encoder_attn") : null;
        Ffn = FfnSites.Create(stack, layer, $"{path}.fc1", $"{path}.fc2", path);
        All = [.. Self.All, .. Cross?.All ?? [], .. Ffn.All];
    }

    /// <summary>The layer's module path, e.g. <c>model.decoder.layers.0</c>.</summary>
    public string LayerPath { get; }

    /// <summary>Self-attention sites (<c>self_attn</c>; causal in the decoder).</summary>
    public AttentionSites Self { get; }

    /// <summary>Cross-attention sites (<c>encoder_attn</c>), or null in an encoder layer.</summary>
    public AttentionSites? Cross { get; }

    /// <summary>FFN sites (<c>fc1</c>, <c>fc2</c>, output and after-norm at the layer's path).</summary>
    public FfnSites Ffn { get; }

    /// <summary>Every site of the layer in forward order.</summary>
    public IReadOnlyList<SeamSite> All { get; }

    /// <summary>The encoder's input-embedding site (module <c>model.encoder</c>): prompt vectors enter the scaled token + position
    /// embeddings before <c>layernorm_embedding</c>, without position embeddings.</summary>
    public static SeamSite EncoderEmbeddings { get; } =
        new(SeamStack.Encoder, 0, SeamSubLayer.Embeddings, AttentionKind.None, SeamPosition.InputEmbeddings, "model.encoder");
}
