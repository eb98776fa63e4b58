using PeftGrid.Peft.Seams;
using TorchSharp;
using static TorchSharp.torch;

namespace PeftGrid.Peft.Tuners.Prefix;

/// <summary>
/// Scaled dot-product attention with prefix keys/values, in every form of the unified view
/// (PAPER.md §1.4, §1.5, §1.10; Eq. 5 and 7–9): <see cref="PrefixUse.Concat"/> runs fused attention
/// (<see cref="ScaledDotProductAttention.Compute"/>), the gated, −gating and MH PA forms the explicit math. Shapes: q [B, H, T, d_h], k/v [B, H, S, d_h], additive mask [B, 1, 1, S]
/// or [B, 1, T, S] (a causal decoder; batch 1 broadcasts; 0 keep, large negative drop), prefix P_k/P_v [H, l, d_h] expanded to
/// the queries' batch (B × beams in beam search); returns the per-head outputs [B, H, T, d_h].
/// </summary>
public static class PrefixAttention
{
    /// <summary>Attention of <paramref name="q"/> over <paramref name="k"/>/<paramref name="v"/> with the prefix used as <paramref name="use"/>.</summary>
    /// <param name="q">Queries [B, H, T, d_h] (unscaled).</param>
    /// <param name="k">Keys [B, H, S, d_h].</param>
    /// <param name="v">Values [B, H, S, d_h].</param>
    /// <param name="mask">Additive mask [B, 1, 1, S] or [B, 1, T, S].</param>
    /// <param name="prefixKeys">P_k [H, l, d_h].</param>
    /// <param name="prefixValues">P_v [H, l, d_h].</param>
    /// <param name="use">How the prefix enters.</param>
    /// <param name="dropout">The module's attention dropout (on probabilities; on the ReLU scores for MH PA).</param>
    public static Tensor Attend(Tensor q, Tensor k, Tensor v, Tensor mask, Tensor prefixKeys, Tensor prefixValues, PrefixUse use,
        AttentionDropout dropout)
    {
        using var scope = NewDisposeScope();
        var scale = ScaledDotProductAttention.Scale(q);
        var batch = q.shape[0];
        var pk = prefixKeys.unsqueeze(0).expand(batch, -1, -1, -1);   // [B, H, l, d_h]
        var pv = prefixValues.unsqueeze(0).expand(batch, -1, -1, -1);
        if (use == PrefixUse.Concat)
        {
            // fused attention over [P_k; K], [P_v; V]; the prefix is never masked, whatever the mask's shape ([B, 1, 1, S] padding,
            // [B, 1, T, S] causal, batch 1 broadcast). The other forms need the two logit blocks separately: explicit path.
            var prefixMask = torch.zeros(mask.shape[0], 1, mask.shape[2], pk.shape[2], dtype: mask.dtype, device: mask.device);
            return ScaledDotProductAttention.Compute(q, torch.cat([pk, k], 2), torch.cat([pv, v], 2), torch.cat([prefixMask, mask], 3), dropout)
                .MoveToOuterDisposeScope();
        }
        var seqLogits = torch.matmul(q, k.transpose(-1, -2)) * scale + mask;   // [B, H, T, S]
        var preLogits = torch.matmul(q, pk.transpose(-1, -2)) * scale;         // [B, H, T, l]
        var h = torch.matmul(dropout.Apply(torch.softmax(seqLogits, -1)), v);
        if (use == PrefixUse.ReluAdd)
        {
            return (h + torch.matmul(dropout.Apply(nn.functional.relu(preLogits)), pv)).MoveToOuterDisposeScope();
        }
        var delta = torch.matmul(dropout.Apply(torch.softmax(preLogits, -1)), pv);
        if (use == PrefixUse.Add)
        {
            return (h + delta).MoveToOuterDisposeScope();
        }
        // λ = Σexp(prefix logits) / (Σexp(prefix logits) + Σexp(seq logits)) = sigmoid(lse_pre − lse_seq)   (Eq. 8)
        var lambda = torch.sigmoid(torch.logsumexp(preLogits, -1, keepdim: true) - torch.logsumexp(seqLogits, -1, keepdim: true));
        return ((1 - lambda) * h + lambda * delta).MoveToOuterDisposeScope();
    }
}
