namespace PeftGrid.Peft.Framework;

/// <summary>Which hidden representation Δh modifies (He et al. 2022, §3.1 and Table 1).</summary>
public enum ModifiedRepresentation
{
    /// <summary>The attention sub-layer output (the d-dimensional context, before or after W_o by <see cref="Modification.Site"/>).</summary>
    Attention,
    /// <summary>Each head's attention output (prefix tuning, multi-head parallel adapter).</summary>
    HeadAttention,
    /// <summary>The query/value projection weights W_q, W_v (LoRA at attention).</summary>
    AttentionWeights,
    /// <summary>The FFN sub-layer output.</summary>
    Ffn,
    /// <summary>The FFN weights W_1, W_2 (LoRA at the FFN).</summary>
    FfnWeights,
    /// <summary>The output of the FFN "add &amp; LayerNorm" (Pfeiffer adapter).</summary>
    FfnAfterNorm,
    /// <summary>The encoder's input embeddings (prompt tuning: head attention of the first layer).</summary>
    InputEmbeddings,
}

/// <summary>The functional form of Δh (Table 1).</summary>
public enum FunctionalForm
{
    /// <summary>ReLU bottleneck: ReLU(z W_down + b_down) W_up + b_up (adapters).</summary>
    ReluBottleneck,
    /// <summary>Softmax over prefix keys: softmax(x W_q P_kᵀ) P_v (prefix and prompt tuning; Eq. 7).</summary>
    PrefixSoftmax,
    /// <summary>ReLU over prefix keys, per head: ReLU(x W_q P_kᵀ) P_v (multi-head parallel adapter).</summary>
    PrefixRelu,
    /// <summary>Linear low-rank: x W_down W_up, i.e. x Aᵀ Bᵀ (LoRA; Eq. 6).</summary>
    LowRank,
}

/// <summary>Where Δh reads its input (§3.1): from the sub-layer output h (sequential) or its input x (parallel).</summary>
public enum InsertionForm
{
    /// <summary>Δh = f(h): computed from the sub-layer's output.</summary>
    Sequential,
    /// <summary>Δh = f(x): computed from the sub-layer's input.</summary>
    Parallel,
}

/// <summary>How Δh is composed with h (§3.2).</summary>
public enum CompositionFunction
{
    /// <summary>h ← h + Δh.</summary>
    Add,
    /// <summary>h ← (1 − λ(x)) h + λ(x) Δh with λ of Eq. 8 (prefix tuning's implicit gate).</summary>
    GatedInterpolation,
    /// <summary>h ← h + s·Δh.</summary>
    ScaledAdd,
}

/// <summary>Which pretrained parameters a configuration leaves trainable.</summary>
public enum BackboneTraining
{
    /// <summary>All pretrained parameters frozen; only Δh modules (and the task head) train.</summary>
    Frozen,
    /// <summary>Every bias vector (LayerNorm biases included) trains: BitFit.</summary>
    Biases,
    /// <summary>Every parameter trains: full fine-tuning.</summary>
    All,
}

/// <summary>Initialization of an adapter's projections (PAPER.md §1.7, §1.11).</summary>
public enum AdapterInit
{
    /// <summary>BERT init: weights N(0, 0.02), biases 0 (<c>init_bert_weights</c>).</summary>
    Bert,
    /// <summary>LoRA init: W_down Kaiming-uniform(a=√5), W_up = 0, biases 0.</summary>
    Lora,
}

/// <summary>How prefix tuning's gate is realised.</summary>
public enum PrefixGate
{
    /// <summary>Concatenate P_k, P_v in front of the keys/values (Eq. 5, the original prefix tuning; implicit gate).</summary>
    Concat,
    /// <summary>Compute Δh separately and gate it with λ of Eq. 8: (1−λ)h + λΔh (equal to <see cref="Concat"/>).</summary>
    Explicit,
}
