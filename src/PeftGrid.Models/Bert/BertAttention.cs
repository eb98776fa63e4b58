using PeftGrid.Models.Seq2Seq;
using PeftGrid.Peft.Seams;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace PeftGrid.Models.Bert;

/// <summary>W_q, W_k, W_v and the attention-probability dropout (HF keys <c>{attention|crossattention}.self.{query,key,value}</c>).</summary>
public sealed class BertSelfAttention : Module
{
    private readonly SeamLinear query;
    private readonly SeamLinear key;
    private readonly SeamLinear value;
    private readonly double attentionDropout;

    /// <summary>Creates the projections (d → d).</summary>
    public BertSelfAttention(EncoderConfig config) : base("self")
    {
        var d = config.Shape.HiddenSize;
        query = new SeamLinear("query", d, d);
        key = new SeamLinear("key", d, d);
        value = new SeamLinear("value", d, d);
        attentionDropout = config.AttentionDropout;
        RegisterComponents();
    }

    /// <summary>W_q.</summary>
    public SeamLinear Query => query;
    /// <summary>W_k.</summary>
    public SeamLinear Key => key;
    /// <summary>W_v.</summary>
    public SeamLinear Value => value;
    /// <summary>Dropout on attention probabilities: [attention_probs_dropout_prob] while this module is training, none in eval.</summary>
    public AttentionDropout Dropout => new(attentionDropout, training);
}

/// <summary>W_o, dropout, residual, LayerNorm (HF keys <c>{attention|crossattention}.output.{dense,LayerNorm}</c>).</summary>
public sealed class BertSelfOutput : Module
{
    private readonly SeamLinear dense;
    private readonly LayerNorm LayerNorm;
    private readonly Dropout dropout;

    /// <summary>Creates the block.</summary>
    public BertSelfOutput(EncoderConfig config) : base("output")
    {
        dense = new SeamLinear("dense", config.Shape.HiddenSize, config.Shape.HiddenSize);
        LayerNorm = nn.LayerNorm(config.Shape.HiddenSize, config.LayerNormEps);
        dropout = nn.Dropout(config.HiddenDropout);
        RegisterComponents();
    }

    /// <summary>W_o.</summary>
    public SeamLinear Dense => dense;

    /// <summary>LN(x + Dropout(post(W_o(pre(ctx))))): pre-output site with x = the query-side input, post-output site with h = W_o(·).</summary>
    public Tensor Forward(Tensor ctx, Tensor x, AttentionSites sites, AdapterPass pass)
    {
        using var scope = NewDisposeScope();
        var h = CachedAttention.Output(dense, sites, ctx, x, pass);
        return LayerNorm.forward(dropout.forward(h) + x).MoveToOuterDisposeScope();
    }
}

/// <summary>
/// A post-LN BERT attention sub-layer — self-attention (HF <c>attention</c>) or the decoder's cross-attention (HF
/// <c>crossattention</c>, <c>BertLayer</c> with <c>add_cross_attention</c>) — with its <see cref="AttentionSites"/>. The heads go
/// through <see cref="CachedAttention.Heads"/> (LoRA on W_q/W_k/W_v, prefix adapters, optional KV cache); the placements are
/// those of <see cref="BertLayer"/>. x [B, T, d] → [B, T, d].
/// </summary>
public sealed class BertAttention : Module
{
    private readonly BertSelfAttention self;
    private readonly BertSelfOutput output;
    private readonly int heads;

    /// <summary>Creates the sub-layer named <paramref name="name"/> (<c>attention</c> or <c>crossattention</c>) at <paramref name="sites"/>.</summary>
    public BertAttention(string name, EncoderConfig config, AttentionSites sites) : base(name)
    {
        self = new BertSelfAttention(config);
        output = new BertSelfOutput(config);
        heads = config.Shape.NumHeads;
        Sites = sites;
        RegisterComponents();
    }

    /// <summary>This attention's sites.</summary>
    public AttentionSites Sites { get; }

    /// <summary>The projections at the projection sites (W_q, W_k, W_v, W_o).</summary>
    public IEnumerable<(SeamSite Site, SeamLinear Linear)> Projections =>
        [(Sites.Query, self.Query), (Sites.Key, self.Key), (Sites.Value, self.Value), (Sites.AttentionOutput, output.Dense)];

    /// <summary>The sub-layer's output [B, T, d].</summary>
    /// <param name="x">Query-side input [B, T, d].</param>
    /// <param name="memory">Null for self-attention; the encoder states [B, S, d] for cross-attention.</param>
    /// <param name="mask">Additive mask ([B, 1, 1, S] padding or [1, 1, T, past + T] causal).</param>
    /// <param name="pass">The forward pass.</param>
    /// <param name="cache">Null, or the layer's cache (self keys/values appended; cross keys/values computed once).</param>
    public Tensor Forward(Tensor x, Tensor? memory, Tensor mask, AdapterPass pass, LayerKv? cache)
    {
        using var scope = NewDisposeScope();
        var ctx = CachedAttention.Heads(self.Query, self.Key, self.Value, Sites, heads, x, memory, mask, self.Dropout, pass, cache);
        return output.Forward(ctx, x, Sites, pass).MoveToOuterDisposeScope();
    }
}
