using PeftGrid.Peft.Seams;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace PeftGrid.Models.Bert;

/// <summary>
/// Multi-head self-attention Q, K, V (HF keys <c>attention.self.{query,key,value}</c>) with the prefix seam: per-head outputs come
/// from <see cref="PrefixAttention.Attend"/>. x [B, T, d], additive mask [B, 1, 1, T], prefix [2, l, d] or null → [B, T, d]
/// (heads concatenated, before W_o).
/// </summary>
public sealed class BertSelfAttention : Module<Tensor, Tensor, Tensor?, PrefixUse, Tensor>
{
    private readonly SeamLinear query;
    private readonly SeamLinear key;
    private readonly SeamLinear value;
    private readonly Dropout dropout;
    private readonly int heads, headDim;

    /// <summary>Creates the attention for <paramref name="config"/>.</summary>
    public BertSelfAttention(EncoderConfig config) : base("self")
    {
        var d = config.Shape.HiddenSize;
        heads = config.Shape.NumHeads;
        headDim = config.Shape.HeadDim;
        query = new SeamLinear("query", d, d);
        key = new SeamLinear("key", d, d);
        value = new SeamLinear("value", d, d);
        dropout = nn.Dropout(config.AttentionDropout);
        RegisterComponents();
    }

    /// <summary>W_q, W_k, W_v.</summary>
    public (SeamLinear Query, SeamLinear Key, SeamLinear Value) Projections => (query, key, value);

    /// <summary>Attention of x over itself (and the prefix). See the class remarks for shapes.</summary>
    public override Tensor forward(Tensor x, Tensor mask, Tensor? prefix, PrefixUse use)
    {
        using var scope = NewDisposeScope();
        var (b, t) = (x.shape[0], x.shape[1]);
        Tensor Split(Tensor z) => z.view(b, -1, heads, headDim).transpose(1, 2);
        var q = Split(query.forward(x));
        var k = Split(key.forward(x));
        var v = Split(value.forward(x));
        Tensor? pk = null, pv = null;
        if (prefix is not null)
        {
            var l = prefix.shape[1];
            pk = prefix[0].view(l, heads, headDim).transpose(0, 1);   // [H, l, d_h]
            pv = prefix[1].view(l, heads, headDim).transpose(0, 1);
        }
        var ctx = PrefixAttention.Attend(q, k, v, mask, pk, pv, use, dropout.forward);
        return ctx.transpose(1, 2).contiguous().view(b, t, heads * headDim).MoveToOuterDisposeScope();
    }
}
