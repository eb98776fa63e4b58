namespace PeftGrid.Peft.Budget;

/// <summary>How a model's parameters are laid out, which decides its closed-form totals (<see cref="ModelShape.TotalParameters"/>).</summary>
public enum ModelLayout
{
    /// <summary>A BERT/RoBERTa encoder: word + position + token-type embeddings and LayerNorm, L post-LN layers.</summary>
    Encoder,
    /// <summary>BART: shared word embeddings (tied to <c>lm_head</c>), learned positions per stack (rows include HF's offset 2),
    /// <c>layernorm_embedding</c> per stack, post-LN layers; decoder layers add cross-attention. <c>final_logits_bias</c> is a buffer.</summary>
    Bart,
    /// <summary>mBART: <see cref="Bart"/> with pre-LN layers and a final <c>layer_norm</c> per stack (2 × 2d more).</summary>
    MBart,
    /// <summary>
    /// A BERT encoder-decoder warm-started from one BERT checkpoint (Rothe et al., TACL 2020; HF <c>EncoderDecoderModel</c>):
    /// an encoder copy and a decoder copy, each a full BERT (embeddings included). The decoder's cross-attention sub-layers and
    /// the LM-head bias do not exist in the checkpoint: they are <see cref="ModelShape.NewParameters"/>, outside the total.
    /// </summary>
    WarmStartedBert,
}

/// <summary>
/// The shape of a transformer, enough to count parameters in closed form: a BERT/RoBERTa encoder, or an encoder-decoder
/// (BART, mBART, a warm-started BERT pair) when <see cref="DecoderLayers"/> &gt; 0. <see cref="TotalParameters"/> is the
/// pretrained model's count: embeddings and layers included; pooler, task head, buffers (<c>final_logits_bias</c>) and
/// parts the checkpoint lacks (<see cref="NewParameters"/>) excluded (DESIGN.md §3). The shapes of the named models are in
/// <see cref="Catalog.ModelCatalog"/>; a checkpoint folder's comes from its config.json.
/// </summary>
/// <param name="Name">Model name, e.g. <c>minilm</c>.</param>
/// <param name="HiddenSize">d.</param>
/// <param name="NumLayers">L: encoder layers (HF <c>num_hidden_layers</c> / <c>encoder_layers</c>).</param>
/// <param name="NumHeads">N_h (d must be divisible by it).</param>
/// <param name="IntermediateSize">d_m, the FFN inner size.</param>
/// <param name="VocabSize">Vocabulary size.</param>
/// <param name="MaxPositions">Position-embedding rows per stack (HF offset rows included: 514 for RoBERTa, 1026 for BART).</param>
/// <param name="TypeVocabSize">Token-type (segment) embedding rows (0 for BART/mBART, which have none).</param>
public sealed record ModelShape(string Name, int HiddenSize, int NumLayers, int NumHeads, int IntermediateSize,
    int VocabSize, int MaxPositions, int TypeVocabSize)
{
    /// <summary>Decoder layers (HF <c>decoder_layers</c>); 0 for an encoder.</summary>
    public int DecoderLayers { get; init; }

    /// <summary>The parameter layout; <see cref="ModelLayout.Encoder"/> by default.</summary>
    public ModelLayout Layout { get; init; } = ModelLayout.Encoder;

    /// <summary>True for an encoder-decoder (<see cref="DecoderLayers"/> &gt; 0).</summary>
    public bool IsEncoderDecoder => DecoderLayers > 0;

    /// <summary>Per-head dimension d / N_h.</summary>
    public int HeadDim => HiddenSize / NumHeads;

    /// <summary>N_attn·L of PAPER.md §1.15: attention sub-layers in the model, L for an encoder; encoder self + decoder self +
    /// decoder cross = L + 2·L_dec for an encoder-decoder (36 for BART-large: N_attn = 3, L = 12).</summary>
    public int AttentionSubLayers => NumLayers + 2 * DecoderLayers;

    /// <summary>N_ffn·L of PAPER.md §1.15: FFN sub-layers, L for an encoder, L + L_dec for an encoder-decoder (24 for BART-large).</summary>
    public int FfnSubLayers => NumLayers + DecoderLayers;

    /// <summary>Embedding parameters of one BERT stack: word + position + token type + LayerNorm (2d).</summary>
    public long EmbeddingParameters => (long)(VocabSize + MaxPositions + TypeVocabSize) * HiddenSize + 2L * HiddenSize;

    /// <summary>Parameters of one encoder layer: Q,K,V,O with biases, FFN with biases, two LayerNorms.</summary>
    public long LayerParameters
    {
        get
        {
            long d = HiddenSize, m = IntermediateSize;
            return 4 * (d * d + d) + (d * m + m) + (m * d + d) + 4 * d;
        }
    }

    /// <summary>Parameters of one cross-attention sub-layer: Q,K,V,O with biases and its LayerNorm.</summary>
    public long CrossAttentionParameters => 4 * ((long)HiddenSize * HiddenSize + HiddenSize) + 2L * HiddenSize;

    /// <summary>The pretrained model's parameter count (see the class remarks): 22,565,376 for MiniLM, 406,291,456 for
    /// BART-large, 610,851,840 for mBART-large-cc25, 45,130,752 for minilm2minilm.</summary>
    public long TotalParameters => Layout switch
    {
        ModelLayout.Bart or ModelLayout.MBart =>
            (long)VocabSize * HiddenSize + 2L * MaxPositions * HiddenSize + 2 * 2L * HiddenSize
            + NumLayers * LayerParameters + DecoderLayers * (LayerParameters + CrossAttentionParameters)
            + (Layout == ModelLayout.MBart ? 2 * 2L * HiddenSize : 0),
        ModelLayout.WarmStartedBert => 2 * EmbeddingParameters + (NumLayers + DecoderLayers) * LayerParameters,
        _ => EmbeddingParameters + NumLayers * LayerParameters,
    };

    /// <summary>Parameters the architecture has but the checkpoint lacks (trained by every method, reported apart, outside every
    /// budget): for <see cref="ModelLayout.WarmStartedBert"/> the decoder's cross-attention sub-layers and the LM-head bias; else 0.</summary>
    public long NewParameters => Layout == ModelLayout.WarmStartedBert ? DecoderLayers * CrossAttentionParameters + VocabSize : 0;

    /// <summary>Number of pretrained bias parameters, LayerNorm biases included (what BitFit trains): 7d + d_m per encoder layer,
    /// 12d + d_m per BART decoder layer, the embedding (and final) LayerNorms; 333,824 for BART-large.</summary>
    public long BiasParameters
    {
        get
        {
            long d = HiddenSize, m = IntermediateSize;
            return Layout switch
            {
                ModelLayout.Bart or ModelLayout.MBart => 2 * d + NumLayers * (7 * d + m) + DecoderLayers * (12 * d + m)
                    + (Layout == ModelLayout.MBart ? 2 * d : 0),
                ModelLayout.WarmStartedBert => 2 * d + (NumLayers + DecoderLayers) * (7 * d + m),
                _ => d + NumLayers * (7 * d + m),
            };
        }
    }

    /// <summary>
    /// The denominator of the paper's % for an encoder-decoder (PAPER.md §1.15, <c>analysis/paper_plot.py::compute_params</c>):
    /// the count of prefix tuning with l = 200 is declared 3.6 %, so the total is 2·200·d·N_attn·L / 0.036 (409,600,000 for
    /// BART-large and mBART-large-cc25, whose true sizes differ). Null for an encoder, where the paper divides by the true size.
    /// </summary>
    public long? PaperMappedTotal => IsEncoderDecoder ? (long)Math.Round(2.0 * 200 * HiddenSize * AttentionSubLayers / 0.036) : null;

    /// <summary>Checks the shape's invariants.</summary>
    /// <exception cref="ArgumentException">A non-positive field, or d not divisible by N_h.</exception>
    public ModelShape Validate()
    {
        var noTypes = Layout is ModelLayout.Bart or ModelLayout.MBart;
        if (HiddenSize <= 0 || NumLayers <= 0 || NumHeads <= 0 || IntermediateSize <= 0 || VocabSize <= 0 || MaxPositions <= 0
            || TypeVocabSize < 0 || (TypeVocabSize == 0 && !noTypes) || DecoderLayers < 0)
        {
            throw new ArgumentException($"model '{Name}': every size must be positive (d={HiddenSize}, L={NumLayers}, heads={NumHeads}, d_m={IntermediateSize}, vocab={VocabSize}, positions={MaxPositions}, types={TypeVocabSize}, decoder layers={DecoderLayers})");
        }
        if (HiddenSize % NumHeads != 0)
        {
            throw new ArgumentException($"model '{Name}': hidden size d={HiddenSize} is not divisible by the number of heads {NumHeads}");
        }
        if ((Layout == ModelLayout.Encoder) != (DecoderLayers == 0))
        {
            throw new ArgumentException($"model '{Name}': layout {Layout} with {DecoderLayers} decoder layers; an encoder has none, an encoder-decoder at least one");
        }
        return this;
    }
}
