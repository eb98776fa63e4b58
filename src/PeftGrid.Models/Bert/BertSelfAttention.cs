using PeftGrid.Peft.Seams;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace PeftGrid.Models.Bert;

/// <summary>
/// Multi-head self-attention Q, K, V (HF keys <c>attention.self.{query,key,value}</c>). Sites: W_q, W_k, W_v (a linear adapter
/// computes the projection) and the prefix keys/values (an attention adapter computes the per-head outputs instead of
/// <see cref="ScaledDotProductAttention"/>). x [B, T, d], additive mask [B, 1, 1, T] → [B, T, d] (heads concatenated, before W_o).
/// </summary>
public sealed class BertSelfAttention : Module
{
    private readonly SeamLinear query;
    private readonly SeamLinear key;
    private readonly SeamLinear value;
    private readonly Dropout dropout;
    private readonly int heads, headDim;
    private readonly BertLayerSites sites;

    /// <summary>Creates the attention for <paramref name="config"/> at <paramref name="sites"/>.</summary>
    public BertSelfAttention(EncoderConfig config, BertLayerSites sites) : base("self")
    {
        var d = config.Shape.HiddenSize;
        heads = config.Shape.NumHeads;
        headDim = config.Shape.HeadDim;
        query = new SeamLinear("query", d, d);
        key = new SeamLinear("key", d, d);
        value = new SeamLinear("value", d, d);
        dropout = nn.Dropout(config.AttentionDropout);
        this.sites = sites;
        RegisterComponents();
    }

    /// <summary>W_q, W_k, W_v.</summary>
    public (SeamLinear Query, SeamLinear Key, SeamLinear Value) Projections => (query, key, value);

    /// <summary>Attention of x over itself (and a prefix, when <paramref name="pass"/> has one). See the class remarks for shapes.</summary>
    public Tensor Forward(Tensor x, Tensor mask, AdapterPass pass)
    {
        using var scope = NewDisposeScope();
        var (b, t) = (x.shape[0], x.shape[1]);
        Tensor Split(Tensor z) => z.view(b, -1, heads, headDim).transpose(1, 2);
        var q = Split(query.Forward(x, pass.Linear(sites.Query)));
        var k = Split(key.Forward(x, pass.Linear(sites.Key)));
        var v = Split(value.Forward(x, pass.Linear(sites.Value)));
        var ctx = pass.Attention(sites.Prefix) is { } adapter
            ? adapter.Attend(q, k, v, mask, dropout.forward, pass)
            : ScaledDotProductAttention.Compute(q, k, v, mask, dropout.forward);
        return ctx.transpose(1, 2).contiguous().view(b, t, heads * headDim).MoveToOuterDisposeScope();
    }
}
