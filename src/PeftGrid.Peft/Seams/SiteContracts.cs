using static TorchSharp.torch;

namespace PeftGrid.Peft.Seams;

/// <summary>
/// What attaches at a hidden-state site (<see cref="SeamPosition.PreOutput"/>, <see cref="SeamPosition.PostOutput"/>,
/// <see cref="SeamPosition.Output"/>, <see cref="SeamPosition.AfterNorm"/>): a Δh computed from the sub-layer's input x or
/// output h. The backbone composes h + Δh (<see cref="AdapterPass.Compose"/>); a scaled composition h + s·Δh folds s into Δh.
/// </summary>
public interface IHiddenStateAdapter
{
    /// <summary>Δh [B, T, d] for sub-layer input <paramref name="x"/> [B, T, d] and output <paramref name="h"/> [B, T, d]
    /// (a sequential module reads h, a parallel one x; PAPER.md §3.1).</summary>
    Tensor Delta(Tensor x, Tensor h);
}

/// <summary>
/// What attaches at a projection site (W_q, W_k, W_v, W_o, W_1, W_2): it computes the projection's output from the frozen
/// base map, e.g. y = x Wᵀ + b + s·x Aᵀ Bᵀ for LoRA. It never modifies <c>weight</c>, so one backbone can serve several sets.
/// </summary>
public interface ILinearAdapter
{
    /// <summary>The output [..., out] for input <paramref name="x"/> [..., in] given the base
    /// <paramref name="weight"/> [out, in] and <paramref name="bias"/> [out].</summary>
    Tensor Forward(Tensor x, Tensor weight, Tensor bias);
}

/// <summary>
/// What attaches at a <see cref="SeamPosition.PrefixKeysValues"/> site: it computes the per-head attention outputs in place of
/// plain scaled dot-product attention (<see cref="ScaledDotProductAttention"/>), e.g. over [P_k; K], [P_v; V].
/// </summary>
public interface IAttentionAdapter
{
    /// <summary>Per-head outputs [B, H, T, d_h].</summary>
    /// <param name="q">Queries [B, H, T, d_h] (unscaled).</param>
    /// <param name="k">Keys [B, H, S, d_h].</param>
    /// <param name="v">Values [B, H, S, d_h].</param>
    /// <param name="mask">Additive mask [B, 1, 1, S] (0 keep, large negative drop).</param>
    /// <param name="dropout">The attention's dropout on probabilities (probability and training flag, for fused attention's dropout_p).</param>
    /// <param name="pass">The forward pass, for values computed once per pass (<see cref="AdapterPass.Memo"/>).</param>
    Tensor Attend(Tensor q, Tensor k, Tensor v, Tensor mask, AttentionDropout dropout, AdapterPass pass);
}

/// <summary>
/// What attaches at an <see cref="SeamPosition.InputEmbeddings"/> site: it may prepend l positions to the summed embeddings.
/// The backbone attends to them (mask 1) and strips them from its output.
/// </summary>
public interface IEmbeddingAdapter
{
    /// <summary>[B, l + T, d] from <paramref name="embeddings"/> [B, T, d]: the l new positions first, then the input unchanged.</summary>
    Tensor Extend(Tensor embeddings);
}

/// <summary>A projection-site module whose update can be folded into a weight for inference (LoRA's merge).</summary>
public interface IMergeable
{
    /// <summary>True between <see cref="Merge"/> and <see cref="Unmerge"/>.</summary>
    bool IsMerged { get; }

    /// <summary>Computes and keeps the merged weight W + ΔW [out, in] from <paramref name="baseWeight"/>; forward then uses it alone.</summary>
    void Merge(Tensor baseWeight);

    /// <summary>Drops the merged weight; forward computes the update again.</summary>
    void Unmerge();
}
