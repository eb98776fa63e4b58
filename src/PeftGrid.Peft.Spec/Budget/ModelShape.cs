namespace PeftGrid.Peft.Budget;

/// <summary>
/// The shape of a BERT/RoBERTa-family encoder, enough to count parameters in closed form.
/// <see cref="TotalParameters"/> is the pretrained model's count: embeddings and encoder layers included,
/// pooler and task head excluded (DESIGN.md §3). The shapes of the named models are in
/// <see cref="Catalog.ModelCatalog"/>; a checkpoint folder's comes from its config.json.
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
