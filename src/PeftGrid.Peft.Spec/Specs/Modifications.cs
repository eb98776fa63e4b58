using PeftGrid.Peft.Framework;

namespace PeftGrid.Peft.Specs;

/// <summary>Factories for the modification kinds of the paper, with its inits (PAPER.md §1, §5).</summary>
public static class Modifications
{
    /// <summary>Prefix tuning (or its −gating variant): l prefix vectors at every attention's keys and values.</summary>
    /// <param name="name">Part name.</param>
    /// <param name="l">Prefix length.</param>
    /// <param name="mid">Reparametrization MLP hidden size (0 = direct P_k, P_v, N(0, 0.02)).</param>
    /// <param name="composition">Gated (prefix tuning) or add (−gating).</param>
    /// <param name="gate">Concat or explicit gate.</param>
    public static Modification Prefix(string name, int l, int mid, CompositionFunction composition, PrefixGate gate) => new()
    {
        Name = name, Representation = ModifiedRepresentation.HeadAttention, Form = FunctionalForm.PrefixSoftmax,
        Insertion = InsertionForm.Parallel, Composition = composition, SizeName = "l", Size = l,
        PrefixMidDim = mid == 0 ? null : mid, Gate = gate, Dropout = 0.0,
    };

    /// <summary>Prompt tuning: l trainable input embeddings, N(0, 0.02).</summary>
    public static Modification Prompt(int l) => new()
    {
        Name = "prompt", Representation = ModifiedRepresentation.InputEmbeddings, Form = FunctionalForm.PrefixSoftmax,
        Insertion = InsertionForm.Parallel, Composition = CompositionFunction.GatedInterpolation, SizeName = "l", Size = l, Dropout = 0.0,
    };

    /// <summary>LoRA on a pair of projections (W_q, W_v or W_1, W_2): s = alpha / r, dropout 0.1 on the LoRA input.</summary>
    public static Modification Lora(string name, ModifiedRepresentation where, int r, double alpha) => new()
    {
        Name = name, Representation = where, Form = FunctionalForm.LowRank, Insertion = InsertionForm.Parallel,
        Composition = CompositionFunction.ScaledAdd, SizeName = "r", Size = r, Scale = alpha / r, LoraAlpha = alpha,
        Init = AdapterInit.Lora, Dropout = 0.1,
    };

    /// <summary>A plain bottleneck adapter (sequential or parallel), BERT init, s = 1.</summary>
    public static Modification Adapter(string name, ModifiedRepresentation where, InsertionForm insertion, int r, bool layerNorm) => new()
    {
        Name = name, Representation = where, Form = FunctionalForm.ReluBottleneck, Insertion = insertion,
        Composition = CompositionFunction.Add, SizeName = "r", Size = r, Init = AdapterInit.Bert, InputLayerNorm = layerNorm,
    };

    /// <summary>The scaled parallel adapter at the FFN: LoRA init, no LayerNorm, s fixed or learned.</summary>
    public static Modification ScaledParallel(string name, int r, (double Scale, bool Trainable) s) => new()
    {
        Name = name, Representation = ModifiedRepresentation.Ffn, Form = FunctionalForm.ReluBottleneck, Insertion = InsertionForm.Parallel,
        Composition = CompositionFunction.ScaledAdd, SizeName = "r", Size = r, Scale = s.Scale, TrainableScale = s.Trainable,
        Init = AdapterInit.Lora, InputLayerNorm = false,
    };

    /// <summary>The multi-head parallel adapter: MLP-generated P_k, P_v, per head ReLU(q P_kᵀ/√d_h) P_v, added before W_o.</summary>
    public static Modification MultiHead(int r, int mid) => new()
    {
        Name = "mh-pa", Representation = ModifiedRepresentation.HeadAttention, Form = FunctionalForm.PrefixRelu,
        Insertion = InsertionForm.Parallel, Composition = CompositionFunction.Add, SizeName = "r", Size = r,
        PrefixMidDim = mid == 0 ? null : mid,
    };
}
