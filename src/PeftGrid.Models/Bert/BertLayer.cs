using PeftGrid.Peft.Seams;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace PeftGrid.Models.Bert;

/// <summary>Attention output block: W_o, dropout, residual, LayerNorm (HF keys <c>attention.output.{dense,LayerNorm}</c>).</summary>
public sealed class BertSelfOutput : Module
{
    private readonly SeamLinear dense;
    private readonly LayerNorm LayerNorm;
    private readonly Dropout dropout;
    private readonly BertLayerSites sites;

    /// <summary>Creates the block.</summary>
    public BertSelfOutput(EncoderConfig config, BertLayerSites sites) : base("output")
    {
        dense = new SeamLinear("dense", config.Shape.HiddenSize, config.Shape.HiddenSize);
        LayerNorm = nn.LayerNorm(config.Shape.HiddenSize, config.LayerNormEps);
        dropout = nn.Dropout(config.HiddenDropout);
        this.sites = sites;
        RegisterComponents();
    }

    /// <summary>W_o.</summary>
    public SeamLinear Dense => dense;

    /// <summary>LN(x + Dropout(post(W_o(pre(ctx))))): the pre-output site composes with ctx (x = the attention input), the
    /// post-output site with h = W_o(·). ctx, x: [B, T, d].</summary>
    public Tensor Forward(Tensor ctx, Tensor x, AdapterPass pass)
    {
        using var scope = NewDisposeScope();
        var h = pass.Compose(sites.PostOutput, x, dense.Forward(pass.Compose(sites.PreOutput, x, ctx), pass.Linear(sites.AttentionOutput)));
        return LayerNorm.forward(dropout.forward(h) + x).MoveToOuterDisposeScope();
    }
}

/// <summary>The attention sub-layer (HF keys <c>attention.{self,output}</c>).</summary>
public sealed class BertAttention : Module
{
    private readonly BertSelfAttention self;
    private readonly BertSelfOutput output;

    /// <summary>Creates the sub-layer.</summary>
    public BertAttention(EncoderConfig config, BertLayerSites sites) : base("attention")
    {
        self = new BertSelfAttention(config, sites);
        output = new BertSelfOutput(config, sites);
        RegisterComponents();
    }

    /// <summary>Self-attention part.</summary>
    public BertSelfAttention Self => self;

    /// <summary>Output part.</summary>
    public BertSelfOutput Output => output;

    /// <summary>x [B, T, d], additive mask [B, 1, 1, T] → [B, T, d].</summary>
    public Tensor Forward(Tensor x, Tensor mask, AdapterPass pass)
    {
        using var ctx = self.Forward(x, mask, pass);
        return output.Forward(ctx, x, pass);
    }
}

/// <summary>
/// One encoder layer: attention sub-layer, then the FFN W_2(GELU(W_1 a)) with dropout, the FFN output site, residual and
/// LayerNorm, then the after-norm site (HF keys <c>intermediate.dense</c>, <c>output.{dense,LayerNorm}</c>).
/// </summary>
public sealed class BertLayer : Module
{
    private readonly BertAttention attention;
    private readonly BertIntermediate intermediate;
    private readonly BertOutput output;

    /// <summary>Creates layer <paramref name="index"/>.</summary>
    public BertLayer(EncoderConfig config, int index) : base($"{index}")
    {
        Sites = new BertLayerSites(index);
        attention = new BertAttention(config, Sites);
        intermediate = new BertIntermediate(config, Sites);
        output = new BertOutput(config, Sites);
        RegisterComponents();
    }

    /// <summary>This layer's seam sites.</summary>
    public BertLayerSites Sites { get; }

    /// <summary>The projection at each projection site of this layer.</summary>
    public IEnumerable<(SeamSite Site, SeamLinear Linear)> Projections =>
    [
        (Sites.Query, attention.Self.Projections.Query), (Sites.Key, attention.Self.Projections.Key),
        (Sites.Value, attention.Self.Projections.Value), (Sites.AttentionOutput, attention.Output.Dense),
        (Sites.FfnIn, intermediate.Dense), (Sites.FfnOut, output.Dense),
    ];

    /// <summary>x [B, T, d], additive mask [B, 1, 1, T] → [B, T, d].</summary>
    public Tensor Forward(Tensor x, Tensor mask, AdapterPass pass)
    {
        using var scope = NewDisposeScope();
        var a = attention.Forward(x, mask, pass);
        var f = output.Ffn(intermediate.Forward(a, pass), a, pass);
        return output.Finish(f, a, pass).MoveToOuterDisposeScope();
    }
}

/// <summary>FFN up-projection W_1 with GELU (HF key <c>intermediate.dense</c>). [B, T, d] → [B, T, d_m].</summary>
public sealed class BertIntermediate : Module
{
    private readonly SeamLinear dense;
    private readonly BertLayerSites sites;

    /// <summary>Creates W_1.</summary>
    public BertIntermediate(EncoderConfig config, BertLayerSites sites) : base("intermediate")
    {
        dense = new SeamLinear("dense", config.Shape.HiddenSize, config.Shape.IntermediateSize);
        this.sites = sites;
        RegisterComponents();
    }

    /// <summary>W_1.</summary>
    public SeamLinear Dense => dense;

    /// <summary>GELU(x W_1ᵀ + b_1) (exact, erf-based GELU as in BERT), W_1 through its site.</summary>
    public Tensor Forward(Tensor x, AdapterPass pass)
    {
        using var h = dense.Forward(x, pass.Linear(sites.FfnIn));
        return nn.functional.gelu(h);
    }
}

/// <summary>FFN down-projection W_2, dropout, residual, LayerNorm (HF keys <c>output.{dense,LayerNorm}</c>).</summary>
public sealed class BertOutput : Module
{
    private readonly SeamLinear dense;
    private readonly LayerNorm LayerNorm;
    private readonly Dropout dropout;
    private readonly BertLayerSites sites;

    /// <summary>Creates the block.</summary>
    public BertOutput(EncoderConfig config, BertLayerSites sites) : base("output")
    {
        dense = new SeamLinear("dense", config.Shape.IntermediateSize, config.Shape.HiddenSize);
        LayerNorm = nn.LayerNorm(config.Shape.HiddenSize, config.LayerNormEps);
        dropout = nn.Dropout(config.HiddenDropout);
        this.sites = sites;
        RegisterComponents();
    }

    /// <summary>W_2.</summary>
    public SeamLinear Dense => dense;

    /// <summary>F = Dropout(W_2 z) composed at the FFN output site (x = a, the FFN input). [B, T, d].</summary>
    public Tensor Ffn(Tensor z, Tensor a, AdapterPass pass)
    {
        using var scope = NewDisposeScope();
        return pass.Compose(sites.Output, a, dropout.forward(dense.Forward(z, pass.Linear(sites.FfnOut)))).MoveToOuterDisposeScope();
    }

    /// <summary>LN(a + F); with a module A at the after-norm site: LN(a + F + A(LN(a + F))) using the same LayerNorm (PAPER.md §1.8).</summary>
    public Tensor Finish(Tensor f, Tensor a, AdapterPass pass)
    {
        using var scope = NewDisposeScope();
        var z = LayerNorm.forward(a + f);
        if (pass.HiddenState(sites.AfterNorm) is { } adapter)
        {
            z = LayerNorm.forward(a + f + adapter.Delta(z, z));
        }
        return z.MoveToOuterDisposeScope();
    }
}
