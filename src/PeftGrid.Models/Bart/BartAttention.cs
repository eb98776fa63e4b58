using PeftGrid.Models.Seq2Seq;
using PeftGrid.Peft.Seams;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace PeftGrid.Models.Bart;

/// <summary>
/// HF <c>BartAttention</c> (keys <c>{self_attn|encoder_attn}.{q_proj,k_proj,v_proj,out_proj}.{weight,bias}</c>): multi-head
/// attention with W_q, W_k, W_v and W_o at their sites (<see cref="CachedAttention.Heads"/>). The pre-output site composes Δh(x)
/// with the concatenated heads before W_o (x = the query-side input: for pre-LN mBART the LN'd input); the post-output site
/// composes Δh(h) with h = W_o(·), before the layer's dropout and residual. x [B, T, d] → [B, T, d].
/// </summary>
public sealed class BartAttention : Module
{
    private readonly SeamLinear k_proj;
    private readonly SeamLinear v_proj;
    private readonly SeamLinear q_proj;
    private readonly SeamLinear out_proj;
    private readonly double attentionDropout;
    private readonly int heads;

    /// <summary>Creates the attention named <paramref name="name"/> (<c>self_attn</c> or <c>encoder_attn</c>) at <paramref name="sites"/>.</summary>
    public BartAttention(string name, BartConfig config, AttentionSites sites) : base(name)
    {
        var d = config.Shape.HiddenSize;
        heads = config.Shape.NumHeads;
        k_proj = new SeamLinear("k_proj", d, d);
        v_proj = new SeamLinear("v_proj", d, d);
        q_proj = new SeamLinear("q_proj", d, d);
        out_proj = new SeamLinear("out_proj", d, d);
        attentionDropout = config.AttentionDropout;
        Sites = sites;
        RegisterComponents();
    }

    /// <summary>This attention's sites.</summary>
    public AttentionSites Sites { get; }

    /// <summary>The projection at each projection site of this attention (W_q, W_k, W_v, W_o).</summary>
    public IEnumerable<(SeamSite Site, SeamLinear Linear)> Projections =>
        [(Sites.Query, q_proj), (Sites.Key, k_proj), (Sites.Value, v_proj), (Sites.AttentionOutput, out_proj)];

    /// <summary>The attention output before dropout and residual.</summary>
    /// <param name="x">Query-side input [B, T, d].</param>
    /// <param name="memory">Null for self-attention, else the encoder states [B, S, d].</param>
    /// <param name="mask">Additive mask (<see cref="CachedAttention.Causal"/> or <see cref="CachedAttention.Padding"/>).</param>
    /// <param name="pass">The forward pass (adapters).</param>
    /// <param name="cache">This decoder layer's cache, or null.</param>
    public Tensor Forward(Tensor x, Tensor? memory, Tensor mask, AdapterPass pass, LayerKv? cache)
    {
        using var scope = NewDisposeScope();
        var ctx = CachedAttention.Heads(q_proj, k_proj, v_proj, Sites, heads, x, memory, mask, new AttentionDropout(attentionDropout, training), pass, cache);
        return CachedAttention.Output(out_proj, Sites, ctx, x, pass).MoveToOuterDisposeScope();
    }
}
