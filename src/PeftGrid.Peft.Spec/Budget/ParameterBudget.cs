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
    /// <summary>PaperCount / TotalCount × 100, in %.</summary>
    public double Percent => 100.0 * PaperCount / TotalCount;
    /// <summary>TrainableCount / TotalCount × 100, in %.</summary>
    public double TrainablePercent => 100.0 * TrainableCount / TotalCount;
}

/// <summary>Closed-form parameter counts for configurations on BERT/RoBERTa-family encoders (N_attn = N_ffn = 1 per layer).</summary>
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
        return new BudgetCounts(paper, trainable, shape.TotalParameters);
    }

    /// <summary>The paper-convention count of one modification (PAPER.md §1.15 table).</summary>
    public static long PaperCount(Modification m, ModelShape shape)
    {
        long d = shape.HiddenSize, dm = shape.IntermediateSize, layers = shape.NumLayers, n = m.Size;
        return m.Representation switch
        {
            ModifiedRepresentation.InputEmbeddings => n * d,
            ModifiedRepresentation.HeadAttention => 2 * n * d * layers,
            ModifiedRepresentation.AttentionWeights => 2 * (n * d + d * n) * layers,
            ModifiedRepresentation.FfnWeights => 2 * (n * d + dm * n) * layers,
            _ => 2 * n * d * layers,
        };
    }

    /// <summary>The closed-form trainable count of one modification as built by PeftGrid.</summary>
    public static long TrainableCount(Modification m, ModelShape shape)
    {
        long d = shape.HiddenSize, dm = shape.IntermediateSize, layers = shape.NumLayers, n = m.Size;
        switch (m.Representation)
        {
            case ModifiedRepresentation.InputEmbeddings:
                return n * d;
            case ModifiedRepresentation.HeadAttention:
                if (m.PrefixMidDim is { } mid)
                {
                    // Embedding(l, d) -> Linear(d, mid) -> tanh -> Linear(mid, 2·L·d)   (PAPER.md §1.4)
                    return n * d + (d * mid + mid) + (mid * 2 * layers * d + 2 * layers * d);
                }
                return 2 * n * d * layers;
            case ModifiedRepresentation.AttentionWeights:
                return 2 * (n * d + d * n) * layers;
            case ModifiedRepresentation.FfnWeights:
                return 2 * (n * d + dm * n) * layers;
            default:
                var perLayer = (d * n + n) + (n * d + d) + (m.InputLayerNorm ? 2 * d : 0) + (m.TrainableScale ? 1 : 0);
                return perLayer * layers;
        }
    }
}
