using PeftGrid.Peft.Framework;

namespace PeftGrid.Peft.Budget;

/// <summary>The two counts of a configuration on a model (DESIGN.md §3), and the percentage.</summary>
/// <param name="PaperCount">The paper's convention (PAPER.md §1.15, App. B): 2ld per prefix sub-layer, 2rd per adapter sub-layer,
/// 4rd (attention) or 2r(d + d_m) (FFN, = 10rd with d_m = 4d) per LoRA sub-layer, ld for a prompt, every bias for BitFit, the total for full.
/// Biases, LayerNorms, the prefix MLP and the task head are not counted.</param>
/// <param name="TrainableCount">Closed form of the parameters that train (requires_grad), task head excluded: includes adapter biases and
/// LayerNorms, the prefix MLP and trainable scalars.</param>
/// <param name="TotalCount">The pretrained model's parameter count (pooler and task head excluded).</param>
public sealed record BudgetCounts(long PaperCount, long TrainableCount, long TotalCount)
{
    /// <summary>The paper's % denominator for an encoder-decoder (<see cref="ModelShape.PaperMappedTotal"/>, 409.6 M for BART-large and
    /// mBART-large-cc25); null for an encoder.</summary>
    public long? PaperMappedTotal { get; init; }

    /// <summary>PaperCount / PaperMappedTotal × 100, in %: the % as the paper prints it for encoder-decoders (6.68 for MAM l=30, r=512);
    /// equal to <see cref="Percent"/> for an encoder.</summary>
    public double PaperPercent => 100.0 * PaperCount / (PaperMappedTotal ?? TotalCount);

    /// <summary>PaperCount / TotalCount × 100, in % of the true model size (budget tiers use this one).</summary>
    public double Percent => 100.0 * PaperCount / TotalCount;
    /// <summary>TrainableCount / TotalCount × 100, in %.</summary>
    public double TrainablePercent => 100.0 * TrainableCount / TotalCount;
}

/// <summary>
/// Closed-form parameter counts (PAPER.md §1.15): per attention sub-layer and per FFN sub-layer, times N_attn·L and N_ffn·L of
/// the shape (<see cref="ModelShape.AttentionSubLayers"/>: L for an encoder, encoder self + decoder self + decoder cross for an
/// encoder-decoder; <see cref="ModelShape.FfnSubLayers"/>: L, or encoder + decoder). Parts a warm-started model adds
/// (<see cref="ModelShape.NewParameters"/>) are outside both counts, like the task head.
/// </summary>
public static class ParameterBudget
{
    /// <summary>Both counts of <paramref name="config"/> on <paramref name="shape"/>.</summary>
    public static BudgetCounts Count(PeftConfig config, ModelShape shape)
    {
        long paper = 0, trainable = 0;
        switch (config.Backbone)
        {
            case BackboneTraining.All:
                paper += shape.TotalParameters; trainable += shape.TotalParameters; break;
            case BackboneTraining.Biases:
                paper += shape.BiasParameters; trainable += shape.BiasParameters; break;
        }
        foreach (var m in config.Modifications)
        {
            paper += PaperCount(m, shape);
            trainable += TrainableCount(m, shape);
        }
        return new BudgetCounts(paper, trainable, shape.TotalParameters) { PaperMappedTotal = shape.PaperMappedTotal };
    }

    /// <summary>The paper-convention count of one modification (PAPER.md §1.15 table): prefix 2ld and adapters 2rd per sub-layer,
    /// LoRA 2(rd + dr) per attention (W_q, W_v) or 2(rd + d_m r) per FFN (W_1, W_2), prompt ld.</summary>
    public static long PaperCount(Modification m, ModelShape shape)
    {
        long d = shape.HiddenSize, dm = shape.IntermediateSize, attn = shape.AttentionSubLayers, ffn = shape.FfnSubLayers, n = m.Size;
        return m.Representation switch
        {
            ModifiedRepresentation.InputEmbeddings => n * d,
            ModifiedRepresentation.HeadAttention => 2 * n * d * attn,
            ModifiedRepresentation.AttentionWeights => 2 * (n * d + d * n) * attn,
            ModifiedRepresentation.FfnWeights => 2 * (n * d + dm * n) * ffn,
            ModifiedRepresentation.Attention => 2 * n * d * attn,
            _ => 2 * n * d * ffn,
        };
    }

    /// <summary>
    /// The layer counts of the attention kinds that get their own prefix encoder (PAPER.md §1.4: three independent MLPs in an
    /// encoder-decoder — encoder self, decoder self, decoder cross; one in an encoder).
    /// </summary>
    public static IReadOnlyList<int> PrefixGroups(ModelShape shape) =>
        shape.IsEncoderDecoder ? [shape.NumLayers, shape.DecoderLayers, shape.DecoderLayers] : [shape.NumLayers];

    /// <summary>The closed-form trainable count of one modification as built by PeftGrid.</summary>
    public static long TrainableCount(Modification m, ModelShape shape)
    {
        long d = shape.HiddenSize, dm = shape.IntermediateSize, attn = shape.AttentionSubLayers, ffn = shape.FfnSubLayers, n = m.Size;
        switch (m.Representation)
        {
            case ModifiedRepresentation.InputEmbeddings:
                return n * d;
            case ModifiedRepresentation.HeadAttention:
                if (m.PrefixMidDim is { } mid)
                {
                    // per group: Embedding(l, d) -> Linear(d, mid) -> tanh -> Linear(mid, 2·L_g·d)   (PAPER.md §1.4)
                    return PrefixGroups(shape).Sum(layers => n * d + (d * mid + mid) + (mid * 2 * layers * d + 2 * layers * d));
                }
                return 2 * n * d * attn;
            case ModifiedRepresentation.AttentionWeights:
                return 2 * (n * d + d * n) * attn;
            case ModifiedRepresentation.FfnWeights:
                return 2 * (n * d + dm * n) * ffn;
            default:
                var perSite = (d * n + n) + (n * d + d) + (m.InputLayerNorm ? 2 * d : 0) + (m.TrainableScale ? 1 : 0);
                return perSite * (m.Representation == ModifiedRepresentation.Attention ? attn : ffn);
        }
    }
}
