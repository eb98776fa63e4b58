namespace PeftGrid.Peft.Seams;

/// <summary>Which transformer stack a site belongs to.</summary>
public enum SeamStack
{
    /// <summary>The encoder (BERT/RoBERTa, or the encoder half of BART/mBART).</summary>
    Encoder,
    /// <summary>The decoder of an encoder-decoder (BART/mBART).</summary>
    Decoder,
}

/// <summary>Which part of a layer a site belongs to.</summary>
public enum SeamSubLayer
{
    /// <summary>The stack's input embeddings (before layer 0).</summary>
    Embeddings,
    /// <summary>An attention sub-layer (see <see cref="AttentionKind"/>).</summary>
    Attention,
    /// <summary>The feed-forward sub-layer.</summary>
    Ffn,
}

/// <summary>Which attention an attention site belongs to.</summary>
public enum AttentionKind
{
    /// <summary>Not an attention site.</summary>
    None,
    /// <summary>Self-attention (encoder layers; the decoder's masked self-attention).</summary>
    Self,
    /// <summary>Decoder cross-attention over the encoder states.</summary>
    Cross,
}

/// <summary>
/// The position of a site within its sub-layer (PAPER.md §1, DESIGN.md §2). Each position has one contract
/// (<see cref="SeamSite.Contract"/>): the interface a module attached there implements.
/// </summary>
public enum SeamPosition
{
    /// <summary>The stack's summed input embeddings [B, T, d], before their LayerNorm (prompt tuning). Contract <see cref="IEmbeddingAdapter"/>.</summary>
    InputEmbeddings,
    /// <summary>The attention's keys/values, where prefix vectors P_k, P_v enter (prefix tuning, MH PA). Contract <see cref="IAttentionAdapter"/>.</summary>
    PrefixKeysValues,
    /// <summary>W_q. Contract <see cref="ILinearAdapter"/>.</summary>
    Query,
    /// <summary>W_k. Contract <see cref="ILinearAdapter"/>.</summary>
    Key,
    /// <summary>W_v. Contract <see cref="ILinearAdapter"/>.</summary>
    Value,
    /// <summary>The concatenated head outputs [B, T, d], before W_o; x = the attention input (parallel adapter). Contract <see cref="IHiddenStateAdapter"/>.</summary>
    PreOutput,
    /// <summary>W_o. Contract <see cref="ILinearAdapter"/>.</summary>
    AttentionOutput,
    /// <summary>After W_o, before dropout, residual and LayerNorm; h = the projected attention output (sequential adapter). Contract <see cref="IHiddenStateAdapter"/>.</summary>
    PostOutput,
    /// <summary>W_1 (d → d_m). Contract <see cref="ILinearAdapter"/>.</summary>
    FfnIn,
    /// <summary>W_2 (d_m → d). Contract <see cref="ILinearAdapter"/>.</summary>
    FfnOut,
    /// <summary>The FFN output after W_2 and dropout, before the residual add; x = the FFN input. Contract <see cref="IHiddenStateAdapter"/>.</summary>
    Output,
    /// <summary>After the FFN add &amp; LayerNorm z = LN(x + F): the output becomes LN(x + F + Δh(z)) with the same LayerNorm (Pfeiffer). Contract <see cref="IHiddenStateAdapter"/>.</summary>
    AfterNorm,
}

/// <summary>
/// One place in a backbone where a Δh module can attach (DESIGN.md §2), as a value: stack, layer, sub-layer, attention kind,
/// position, and the HF checkpoint key path of the module whose forward holds the position (e.g.
/// <c>encoder.layer.0.attention.self.query</c> for W_q; <c>encoder.layer.0.output</c> for the FFN output). A backbone
/// enumerates its sites (<see cref="IPeftBackbone.Sites"/>); an encoder-decoder adds decoder and cross-attention sites without
/// any change here.
/// </summary>
/// <param name="Stack">Encoder or decoder.</param>
/// <param name="Layer">0-based layer index within the stack (0 for <see cref="SeamSubLayer.Embeddings"/>).</param>
/// <param name="SubLayer">Embeddings, attention or FFN.</param>
/// <param name="Attention">Self or cross for attention sites, <see cref="AttentionKind.None"/> otherwise.</param>
/// <param name="Position">The position within the sub-layer.</param>
/// <param name="KeyPath">HF key path (no parameter suffix), the prefix of the peft-style names of modules attached here.</param>
public sealed record SeamSite(SeamStack Stack, int Layer, SeamSubLayer SubLayer, AttentionKind Attention, SeamPosition Position, string KeyPath)
{
    /// <summary>The interface a module attached at this site implements (see <see cref="SeamPosition"/>).</summary>
    public Type Contract => Position switch
    {
        SeamPosition.InputEmbeddings => typeof(IEmbeddingAdapter),
        SeamPosition.PrefixKeysValues => typeof(IAttentionAdapter),
        SeamPosition.Query or SeamPosition.Key or SeamPosition.Value or SeamPosition.AttentionOutput
            or SeamPosition.FfnIn or SeamPosition.FfnOut => typeof(ILinearAdapter),
        _ => typeof(IHiddenStateAdapter),
    };

    /// <summary>True for the linear projections (W_q, W_k, W_v, W_o, W_1, W_2).</summary>
    public bool IsProjection => Contract == typeof(ILinearAdapter);

    /// <summary>E.g. <c>encoder.layer.0.attention.self:Query</c>.</summary>
    public override string ToString() => $"{KeyPath}:{Position}";
}
