using PeftGrid.Peft.Seams;
using TorchSharp;
using static TorchSharp.torch;

namespace PeftGrid.Models.Seq2Seq;

/// <summary>
/// The multi-head attention every encoder-decoder layer uses (BART's <c>BartAttention</c>, BERT's self/cross attention), with its
/// seam sites and an optional <see cref="LayerKv"/> cache, up to the concatenated heads before W_o. W_q, W_k, W_v go through their
/// linear sites (LoRA); the heads are computed by the prefix site's <see cref="IAttentionAdapter"/> (prefix tuning, MH PA) or by
/// plain <see cref="ScaledDotProductAttention"/>. Prefix keys/values are never cached: the adapter concatenates them at every step.
/// </summary>
public static class CachedAttention
{
    /// <summary>The heads [B, T, d] (concatenated, before W_o) of queries from <paramref name="x"/>.</summary>
    /// <param name="wq">W_q.</param>
    /// <param name="wk">W_k.</param>
    /// <param name="wv">W_v.</param>
    /// <param name="sites">The attention's sites.</param>
    /// <param name="heads">N_h.</param>
    /// <param name="x">Query-side input [B, T, d].</param>
    /// <param name="memory">Null for self-attention (keys/values from <paramref name="x"/>), else the encoder states [B, S, d] (cross-attention).</param>
    /// <param name="mask">Additive mask [B or 1, 1, T or 1, S_total] (<see cref="Causal"/>, <see cref="Padding"/>).</param>
    /// <param name="dropout">Dropout on attention probabilities (probability and training flag).</param>
    /// <param name="pass">The forward pass (adapters).</param>
    /// <param name="cache">Null, or this layer's cache: self keys/values are appended, cross keys/values computed once.</param>
    public static Tensor Heads(SeamLinear wq, SeamLinear wk, SeamLinear wv, AttentionSites sites, int heads, Tensor x, Tensor? memory,
        Tensor mask, AttentionDropout dropout, AdapterPass pass, LayerKv? cache)
    {
        using var scope = NewDisposeScope();
        var (b, t) = (x.shape[0], x.shape[1]);
        var headDim = wq.OutFeatures / heads;
        Tensor Split(Tensor z) => z.view(b, -1, heads, headDim).transpose(1, 2);
        var q = Split(wq.Forward(x, pass.Linear(sites.Query)));
        (Tensor, Tensor) Project(Tensor source) =>
            (Split(wk.Forward(source, pass.Linear(sites.Key))), Split(wv.Forward(source, pass.Linear(sites.Value))));
        Tensor k, v;
        if (memory is null)
        {
            (k, v) = Project(x);
            if (cache is not null) { (k, v) = cache.AppendSelf(k, v); }
        }
        else
        {
            (k, v) = cache is null ? Project(memory) : cache.Cross(() => Project(memory));
        }
        var ctx = pass.Attention(sites.Prefix) is { } adapter
            ? adapter.Attend(q, k, v, mask, dropout, pass)
            : ScaledDotProductAttention.Compute(q, k, v, mask, dropout);
        return ctx.transpose(1, 2).contiguous().view(b, t, heads * headDim).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The attention output h = W_o(ctx) with its hidden-state sites: the pre-output site composes Δh(x) with the concatenated heads
    /// <paramref name="ctx"/> before W_o (parallel adapter), the post-output site composes Δh(h) after it (sequential adapter). x is
    /// the attention's query-side input. ctx, x [B, T, d] → [B, T, d], before the layer's dropout and residual.
    /// </summary>
    public static Tensor Output(SeamLinear wo, AttentionSites sites, Tensor ctx, Tensor x, AdapterPass pass)
    {
        using var scope = NewDisposeScope();
        var h = wo.Forward(pass.Compose(sites.PreOutput, x, ctx), pass.Linear(sites.AttentionOutput));
        return pass.Compose(sites.PostOutput, x, h).MoveToOuterDisposeScope();
    }

    /// <summary>The key mask [B, l + S] (<paramref name="dtype"/>) of an input mask [B, S] (1 token, 0 padding) after
    /// <paramref name="promptLength"/> prompt positions were prepended: the prompt positions are attended (1).</summary>
    public static Tensor WithPrompt(Tensor attentionMask, long promptLength, ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        var mask = attentionMask.to(dtype);
        if (promptLength > 0)
        {
            mask = torch.cat([torch.ones(mask.shape[0], promptLength, dtype: dtype, device: mask.device), mask], 1);
        }
        return mask.MoveToOuterDisposeScope();
    }

    /// <summary>The additive causal mask [1, 1, T, past + T] for <paramref name="t"/> new positions after <paramref name="past"/>
    /// cached ones: position i attends to keys 0 … past + i (0 keep, −1e9 drop).</summary>
    public static Tensor Causal(long past, long t, Device device, ScalarType dtype = ScalarType.Float32)
    {
        using var scope = NewDisposeScope();
        var rows = torch.arange(past, past + t, device: device).unsqueeze(1);   // [T, 1]
        var cols = torch.arange(0, past + t, device: device).unsqueeze(0);      // [1, S]
        return torch.where(cols <= rows, 0.0f, -1e9f).to(dtype).unsqueeze(0).unsqueeze(0).MoveToOuterDisposeScope();
    }

    /// <summary>The additive key-padding mask [B, 1, 1, S] of <paramref name="mask"/> [B, S] (1 attend, 0 padding).</summary>
    public static Tensor Padding(Tensor mask, ScalarType dtype = ScalarType.Float32)
    {
        using var scope = NewDisposeScope();
        return ((1.0f - mask.to(dtype)) * -1e9f).unsqueeze(1).unsqueeze(2).MoveToOuterDisposeScope();
    }
}
