namespace PeftGrid.Peft.Framework;

/// <summary>
/// One modification Δh of a frozen transformer: its four design dimensions (He et al. 2022, Table 1),
/// its size and options. Immutable data: nothing in forward branches on a method name.
/// </summary>
public sealed record Modification
{
    /// <summary>Name of the preset part that produced it, e.g. <c>prefix</c>, <c>scaled-pa</c>.</summary>
    public required string Name { get; init; }
    /// <summary>The modified representation.</summary>
    public required ModifiedRepresentation Representation { get; init; }
    /// <summary>The functional form of Δh.</summary>
    public required FunctionalForm Form { get; init; }
    /// <summary>Sequential (reads h) or parallel (reads x).</summary>
    public required InsertionForm Insertion { get; init; }
    /// <summary>Add, gated interpolation or scaled add.</summary>
    public required CompositionFunction Composition { get; init; }
    /// <summary>The size knob's name: <c>l</c> (prefix length) or <c>r</c> (bottleneck dimension / LoRA rank).</summary>
    public required string SizeName { get; init; }
    /// <summary>The size: prefix length l or bottleneck dimension / LoRA rank r (≥ 1).</summary>
    public required int Size { get; init; }
    /// <summary>Scaling s for <see cref="CompositionFunction.ScaledAdd"/> adapters (1 otherwise). For LoRA s = alpha / r.</summary>
    public double Scale { get; init; } = 1.0;
    /// <summary>True when s is a trainable scalar initialised to 1 (PAPER.md §1.11 <c>learnable_scalar</c>).</summary>
    public bool TrainableScale { get; init; }
    /// <summary>LoRA alpha (s = alpha / r); null for non-LoRA modifications.</summary>
    public double? LoraAlpha { get; init; }
    /// <summary>Adapter / LoRA initialisation.</summary>
    public AdapterInit Init { get; init; } = AdapterInit.Bert;
    /// <summary>Whether a bottleneck adapter normalises its input with its own LayerNorm (option <c>in</c>).</summary>
    public bool InputLayerNorm { get; init; }
    /// <summary>Hidden size of the prefix reparametrization MLP (800 in the paper); null learns P_k, P_v directly.</summary>
    public int? PrefixMidDim { get; init; }
    /// <summary>How the prefix gate is realised (only for <see cref="FunctionalForm.PrefixSoftmax"/> with gating).</summary>
    public PrefixGate Gate { get; init; } = PrefixGate.Concat;
    /// <summary>Dropout inside the Δh module (probability in [0, 1)).</summary>
    public double Dropout { get; init; } = 0.1;

    /// <summary>
    /// The seam this modification attaches to; two modifications at one site are an error.
    /// For <see cref="ModifiedRepresentation.Attention"/>, parallel attaches before W_o and sequential after W_o
    /// (PAPER.md §5.4, §1.7).
    /// </summary>
    public string Site => Representation switch
    {
        ModifiedRepresentation.Attention => Insertion == InsertionForm.Parallel ? "attention.pre-output" : "attention.post-output",
        ModifiedRepresentation.HeadAttention => "attention.heads",
        ModifiedRepresentation.AttentionWeights => "attention.weights",
        ModifiedRepresentation.Ffn => "ffn.output",
        ModifiedRepresentation.FfnWeights => "ffn.weights",
        ModifiedRepresentation.FfnAfterNorm => "ffn.after-norm",
        ModifiedRepresentation.InputEmbeddings => "embeddings",
        _ => throw new ArgumentOutOfRangeException(nameof(Representation), Representation, "unknown representation"),
    };

    /// <summary>Sizes and scalar options as reported in results, e.g. {"r": 16, "s": 2}.</summary>
    public IReadOnlyDictionary<string, double> SizeReport()
    {
        var sizes = new Dictionary<string, double> { [SizeName] = Size };
        if (LoraAlpha is { } alpha) { sizes["alpha"] = alpha; sizes["s"] = alpha / Size; }
        else if (Composition == CompositionFunction.ScaledAdd && !TrainableScale) { sizes["s"] = Scale; }
        return sizes;
    }
}
