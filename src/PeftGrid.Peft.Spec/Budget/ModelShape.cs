namespace PeftGrid.Peft.Budget;

/// <summary>
/// The shape of a BERT/RoBERTa-family encoder, enough to count parameters in closed form.
/// <see cref="TotalParameters"/> is the pretrained model's count: embeddings and encoder layers included,
/// pooler and task head excluded (DESIGN.md §3).
/// </summary>
/// <param name="Name">Model name, e.g. <c>minilm</c>.</param>
/// <param name="HiddenSize">d.</param>
/// <param name="NumLayers">L.</param>
/// <param name="NumHeads">N_h (d must be divisible by it).</param>
/// <param name="IntermediateSize">d_m, the FFN inner size.</param>
/// <param name="VocabSize">Word-piece vocabulary size.</param>
/// <param name="MaxPositions">Position-embedding rows.</param>
/// <param name="TypeVocabSize">Token-type (segment) embedding rows.</param>
public sealed record ModelShape(string Name, int HiddenSize, int NumLayers, int NumHeads, int IntermediateSize,
    int VocabSize, int MaxPositions, int TypeVocabSize)
{
    /// <summary>Per-head dimension d / N_h.</summary>
    public int HeadDim => HiddenSize / NumHeads;

    /// <summary>Embedding parameters: word + position + token type + LayerNorm (2d).</summary>
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

    /// <summary>The pretrained model's parameter count (embeddings included; pooler and task head excluded).</summary>
    public long TotalParameters => EmbeddingParameters + NumLayers * LayerParameters;

    /// <summary>Number of bias parameters, LayerNorm biases included (what BitFit trains).</summary>
    public long BiasParameters => HiddenSize + (long)NumLayers * (7L * HiddenSize + IntermediateSize);

    /// <summary>all-MiniLM-L6-v2 (BERT, 6 layers, d = 384): 22,565,376 parameters.</summary>
    public static ModelShape MiniLM { get; } = new("minilm", 384, 6, 12, 1536, 30522, 512, 2);

    /// <summary>bert-base-uncased (12 layers, d = 768): 108,891,648 parameters.</summary>
    public static ModelShape BertBaseUncased { get; } = new("bert-base-uncased", 768, 12, 12, 3072, 30522, 512, 2);

    /// <summary>roberta-base (12 layers, d = 768, 50,265 tokens, 514 positions): 124,055,040 parameters.</summary>
    public static ModelShape RobertaBase { get; } = new("roberta-base", 768, 12, 12, 3072, 50265, 514, 1);

    /// <summary>Checks the shape's invariants.</summary>
    /// <exception cref="ArgumentException">A non-positive field, or d not divisible by N_h.</exception>
    public ModelShape Validate()
    {
        if (HiddenSize <= 0 || NumLayers <= 0 || NumHeads <= 0 || IntermediateSize <= 0 || VocabSize <= 0 || MaxPositions <= 0 || TypeVocabSize <= 0)
        {
            throw new ArgumentException($"model '{Name}': every size must be positive (d={HiddenSize}, L={NumLayers}, heads={NumHeads}, d_m={IntermediateSize}, vocab={VocabSize}, positions={MaxPositions}, types={TypeVocabSize})");
        }
        if (HiddenSize % NumHeads != 0)
        {
            throw new ArgumentException($"model '{Name}': hidden size d={HiddenSize} is not divisible by the number of heads {NumHeads}");
        }
        return this;
    }
}
