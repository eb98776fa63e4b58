namespace PeftGrid.Peft.Tuners.Prefix;

/// <summary>How an attention uses its prefix keys/values P_k, P_v.</summary>
public enum PrefixUse
{
    /// <summary>Concatenate in front of keys/values (prefix tuning, Eq. 5).</summary>
    Concat,
    /// <summary>Separate Δh = softmax(q P_kᵀ/√d_h) P_v, gated (1−λ)h + λΔh (Eq. 7–9).</summary>
    Gated,
    /// <summary>Separate Δh = softmax(q P_kᵀ/√d_h) P_v, added: h + Δh (−gating).</summary>
    Add,
    /// <summary>Separate Δh = ReLU(q P_kᵀ/√d_h) P_v, added: h + Δh (multi-head parallel adapter).</summary>
    ReluAdd,
}
