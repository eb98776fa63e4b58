using TorchSharp;
using static TorchSharp.torch;

namespace PeftGrid.Peft.Seams;

/// <summary>
/// Plain multi-head attention softmax(q Kᵀ/√d_h + mask) V (Vaswani et al. 2017, Eq. 1), the backbone's default when no
/// <see cref="IAttentionAdapter"/> is attached. q [B, H, T, d_h], k/v [B, H, S, d_h], additive mask [B, 1, 1, S] → [B, H, T, d_h].
/// </summary>
public static class ScaledDotProductAttention
{
    /// <summary>The per-head outputs; <paramref name="dropout"/> applies to the attention probabilities.</summary>
    public static Tensor Compute(Tensor q, Tensor k, Tensor v, Tensor mask, Func<Tensor, Tensor> dropout)
    {
        using var scope = NewDisposeScope();
        var logits = torch.matmul(q, k.transpose(-1, -2)) * Scale(q) + mask;
        return torch.matmul(dropout(torch.softmax(logits, -1)), v).MoveToOuterDisposeScope();
    }

    /// <summary>1/√d_h for queries <paramref name="q"/> [..., d_h].</summary>
    public static double Scale(Tensor q) => 1.0 / Math.Sqrt(q.shape[^1]);
}
