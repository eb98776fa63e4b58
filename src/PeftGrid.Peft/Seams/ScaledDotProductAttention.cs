using TorchSharp;
using static TorchSharp.torch;

namespace PeftGrid.Peft.Seams;

/// <summary>
/// Plain multi-head attention softmax(q Kᵀ/√d_h + mask) V (Vaswani et al. 2017, Eq. 1), the backbone's default when no
/// <see cref="IAttentionAdapter"/> is attached. q [B, H, T, d_h], k/v [B, H, S, d_h], additive mask broadcastable to [B, H, T, S]
/// ([B, 1, 1, S] padding, [1 or B, 1, T, S] causal; 0 keep, large negative drop) → [B, H, T, d_h].
/// </summary>
public static class ScaledDotProductAttention
{
    /// <summary>
    /// The per-head outputs through libtorch's fused <c>scaled_dot_product_attention</c> (same scale 1/√d_h). On CPU libtorch uses its
    /// flash kernel when <paramref name="dropout"/>'s effective probability is 0 (eval, or p = 0) and its math path otherwise; both
    /// equal <see cref="Explicit"/> (tests: ≤ 1e-5 abs in fp32). A float mask of another dtype than <paramref name="q"/> (fp32 mask
    /// under bf16 autocast) is cast to q's dtype first. Exception, by measurement (issue 12, <c>attention</c> benchmark, AMD Zen 5, B 32 ×
    /// 12 heads × d_h 32, T = S = 64): in bf16/fp16 on CPU libtorch's kernels lose at short keys — forward + backward 28 ms fused vs 4 ms
    /// explicit without dropout, 41 vs 14 ms with dropout 0.1 — so below <see cref="LowPrecisionFusedMinKeys"/> keys a bf16/fp16 CPU
    /// call takes the explicit path (softmax in float32), and at S = 512 (10× faster fused) the fused one. The fp32 path always fuses.
    /// </summary>
    public static Tensor Compute(Tensor q, Tensor k, Tensor v, Tensor mask, AttentionDropout dropout)
    {
        using var scope = NewDisposeScope();
        if (q.device_type == DeviceType.CPU && q.dtype is ScalarType.BFloat16 or ScalarType.Float16 && k.shape[^2] < LowPrecisionFusedMinKeys)
        {
            var logits = torch.matmul(q, k.transpose(-1, -2)).to(ScalarType.Float32) * Scale(q) + mask;
            return torch.matmul(dropout.Apply(torch.softmax(logits, -1)).to(v.dtype), v).MoveToOuterDisposeScope();
        }
        var m = mask.dtype == q.dtype ? mask : mask.to(q.dtype);
        return nn.functional.scaled_dot_product_attention(q, k, v, m, dropout.Effective).MoveToOuterDisposeScope();
    }

    /// <summary>The same attention computed step by step (logits, softmax, dropout, weighted sum): the reference for
    /// <see cref="Compute"/> and the form the gated, −gating and MH PA prefix variants build on (they need the logits).</summary>
    public static Tensor Explicit(Tensor q, Tensor k, Tensor v, Tensor mask, AttentionDropout dropout)
    {
        using var scope = NewDisposeScope();
        var logits = torch.matmul(q, k.transpose(-1, -2)) * Scale(q) + mask;
        return torch.matmul(dropout.Apply(torch.softmax(logits, -1)), v).MoveToOuterDisposeScope();
    }

    /// <summary>Key length S from which bf16/fp16 attention on CPU takes libtorch's fused kernel (<see cref="Compute"/>); below it,
    /// the explicit path.</summary>
    public const int LowPrecisionFusedMinKeys = 256;

    /// <summary>1/√d_h for queries <paramref name="q"/> [..., d_h].</summary>
    public static double Scale(Tensor q) => 1.0 / Math.Sqrt(q.shape[^1]);
}
