namespace PeftGrid.Peft.Adapters;

/// <summary>
/// What a trainable parameter is for (DESIGN.md §2). Optimizer groups, weight decay and per-group learning rates are meant to
/// come from the role and the tensor rank, never from substrings of names.
/// </summary>
public enum ParameterRole
{
    /// <summary>A Δh module's parameter: bottleneck adapters, LoRA A/B, prompt embeddings, a learned scale s.</summary>
    Adapter,
    /// <summary>Prefix tuning's P_k/P_v or their reparametrization MLP (also the multi-head PA's); trains at a reduced rate.</summary>
    PrefixEncoder,
    /// <summary>A pretrained parameter the configuration unfreezes (BitFit's biases, full fine-tuning).</summary>
    Backbone,
    /// <summary>The task head (always trainable, outside every budget).</summary>
    TaskHead,
    /// <summary>A part of the architecture the pretrained checkpoint lacks, initialised fresh (minilm2minilm's decoder
    /// cross-attention and LM-head bias, <see cref="Budget.ModelShape.NewParameters"/>): trains with every method at the main
    /// rate, reported apart, outside every budget.</summary>
    WarmStart,
}
