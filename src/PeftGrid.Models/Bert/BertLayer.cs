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

    /// <summary>LN(x + Dropout(seam(W_o(ctx)))), where the post-output seam sees h = W_o(ctx). ctx, x: [B, T, d].</summary>
    public Tensor Forward(Tensor ctx, Tensor x, LayerSeams seams)
    {
        using var scope = NewDisposeScope();
        var h = seams.AttentionPostOutput.Compose(x, dense.forward(seams.AttentionPreOutput.Compose(x, ctx)));
        return LayerNorm.forward(dropout.forward(h) + x).MoveToOuterDisposeScope();
    }
}

/// <summary>The attention sub-layer (HF keys <c>attention.{self,output}</c>).</summary>
public sealed class BertAttention : Module
{
    private readonly BertSelfAttention self;
    private readonly BertSelfOutput output;

    /// <summary>Creates the sub-layer.</summary>
    public BertAttention(EncoderConfig config) : base("attention")
    {
        self = new BertSelfAttention(config);
        output = new BertSelfOutput(config);
        RegisterComponents();
    }

    /// <summary>Self-attention part.</summary>
    public BertSelfAttention Self => self;

    /// <summary>Output part.</summary>
    public BertSelfOutput Output => output;

    /// <summary>x [B, T, d] → [B, T, d]. Seams: prefix (via <paramref name="prefix"/>), pre- and post-W_o adapters.</summary>
    public Tensor Forward(Tensor x, Tensor mask, Tensor? prefix, PrefixUse use, LayerSeams seams)
    {
        using var ctx = self.forward(x, mask, prefix, use);
        return output.Forward(ctx, x, seams);
    }
}

/// <summary>
/// One encoder layer: attention sub-layer, then the FFN W_2(GELU(W_1 a)) with dropout, the FFN seam, residual and LayerNorm,
/// then the Pfeiffer seam (HF keys <c>intermediate.dense</c>, <c>output.{dense,LayerNorm}</c>).
/// </summary>
public sealed class BertLayer : Module
{
    private readonly BertAttention attention;
    private readonly BertIntermediate intermediate;
    private readonly BertOutput output;

    /// <summary>Creates the layer.</summary>
    public BertLayer(EncoderConfig config, int index) : base($"{index}")
    {
        attention = new BertAttention(config);
        intermediate = new BertIntermediate(config);
        output = new BertOutput(config);
        RegisterComponents();
    }

    /// <summary>Attention sub-layer.</summary>
    public BertAttention Attention => attention;

    /// <summary>W_1.</summary>
    public SeamLinear FfnIn => intermediate.Dense;

    /// <summary>W_2.</summary>
    public SeamLinear FfnOut => output.Dense;

    /// <summary>x [B, T, d], additive mask [B, 1, 1, T], this layer's prefix [2, l, d] or null → [B, T, d].</summary>
    public Tensor Forward(Tensor x, Tensor mask, Tensor? prefix, PrefixUse use, LayerSeams seams)
    {
        using var scope = NewDisposeScope();
        var a = attention.Forward(x, mask, prefix, use, seams);
        var f = output.Ffn(intermediate.forward(a), a, seams);
        return output.Finish(f, a, seams).MoveToOuterDisposeScope();
    }
}

/// <summary>FFN up-projection W_1 with GELU (HF key <c>intermediate.dense</c>). [B, T, d] → [B, T, d_m].</summary>
public sealed class BertIntermediate : Module<Tensor, Tensor>
{
    private readonly SeamLinear dense;

    /// <summary>Creates W_1.</summary>
    public BertIntermediate(EncoderConfig config) : base("intermediate")
    {
        dense = new SeamLinear("dense", config.Shape.HiddenSize, config.Shape.IntermediateSize);
        RegisterComponents();
    }

    /// <summary>W_1.</summary>
    public SeamLinear Dense => dense;

    /// <summary>GELU(x W_1ᵀ + b_1) (exact, erf-based GELU as in BERT).</summary>
    public override Tensor forward(Tensor x)
    {
        using var h = dense.forward(x);
        return nn.functional.gelu(h);
    }
}

/// <summary>FFN down-projection W_2, dropout, residual, LayerNorm (HF keys <c>output.{dense,LayerNorm}</c>).</summary>
public sealed class BertOutput : Module
{
    private readonly SeamLinear dense;
    private readonly LayerNorm LayerNorm;
    private readonly Dropout dropout;

    /// <summary>Creates the block.</summary>
    public BertOutput(EncoderConfig config) : base("output")
    {
        dense = new SeamLinear("dense", config.Shape.IntermediateSize, config.Shape.HiddenSize);
        LayerNorm = nn.LayerNorm(config.Shape.HiddenSize, config.LayerNormEps);
        dropout = nn.Dropout(config.HiddenDropout);
        RegisterComponents();
    }

    /// <summary>W_2.</summary>
    public SeamLinear Dense => dense;

    /// <summary>F = seam(a, Dropout(W_2 z)): the FFN output with FFN adapters composed (x = a, the FFN input). [B, T, d].</summary>
    public Tensor Ffn(Tensor z, Tensor a, LayerSeams seams)
    {
        using var scope = NewDisposeScope();
        return seams.FfnOutput.Compose(a, dropout.forward(dense.forward(z))).MoveToOuterDisposeScope();
    }

    /// <summary>LN(a + F); with a Pfeiffer adapter A: LN(a + F + A(LN(a + F))) using the same LayerNorm (PAPER.md §1.8).</summary>
    public Tensor Finish(Tensor f, Tensor a, LayerSeams seams)
    {
        using var scope = NewDisposeScope();
        var z = LayerNorm.forward(a + f);
        if (seams.FfnAfterNorm.Adapter is { } adapter)
        {
            z = LayerNorm.forward(a + f + adapter.forward(z));
        }
        return z.MoveToOuterDisposeScope();
    }
}
