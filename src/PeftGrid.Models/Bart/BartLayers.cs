using PeftGrid.Models.Seq2Seq;
using PeftGrid.Peft.Seams;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace PeftGrid.Models.Bart;

/// <summary>
/// The residual sub-layers shared by BART/mBART encoder and decoder layers (HF <c>modeling_bart.py</c> / <c>modeling_mbart.py</c>).
/// Post-LN (BART): LN(x + Dropout(S(x))). Pre-LN (mBART): x + Dropout(S(LN(x))).
/// </summary>
internal static class BartBlocks
{
    /// <summary>An attention sub-layer with its LayerNorm (<c>self_attn_layer_norm</c> / <c>encoder_attn_layer_norm</c>). x [B, T, d] → [B, T, d].</summary>
    public static Tensor Attention(BartAttention attention, LayerNorm norm, bool preLn, Dropout dropout, Tensor x, Tensor? memory,
        Tensor mask, AdapterPass pass, LayerKv? cache)
    {
        using var scope = NewDisposeScope();
        var y = preLn
            ? x + dropout.forward(attention.Forward(norm.forward(x), memory, mask, pass, cache))
            : norm.forward(x + dropout.forward(attention.Forward(x, memory, mask, pass, cache)));
        return y.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The FFN sub-layer with <c>final_layer_norm</c>: F = Dropout(fc2(ActDropout(GELU(fc1(a))))) with a = x (post-LN) or LN(x)
    /// (pre-LN), composed at the FFN output site with x = the residual stream x (for mBART: before <c>final_layer_norm</c>, PAPER.md
    /// §1.9). Post-LN: z = LN(x + F), and with an after-norm module A: LN(x + F + A(z)) with the same LayerNorm. Pre-LN: z = x + F,
    /// and with A: z + A(z) (PAPER.md §1.8). x [B, T, d] → [B, T, d].
    /// </summary>
    public static Tensor Ffn(SeamLinear fc1, SeamLinear fc2, LayerNorm norm, bool preLn, Dropout dropout, Dropout activationDropout,
        FfnSites sites, Tensor x, AdapterPass pass)
    {
        using var scope = NewDisposeScope();
        var a = preLn ? norm.forward(x) : x;
        var inner = activationDropout.forward(nn.functional.gelu(fc1.Forward(a, pass.Linear(sites.FfnIn))));
        var f = pass.Compose(sites.Output, x, dropout.forward(fc2.Forward(inner, pass.Linear(sites.FfnOut))));
        var after = pass.HiddenState(sites.AfterNorm);
        Tensor z;
        if (preLn)
        {
            z = x + f;
            if (after is not null) { z = z + after.Delta(z, z); }
        }
        else
        {
            z = norm.forward(x + f);
            if (after is not null) { z = norm.forward(x + f + after.Delta(z, z)); }
        }
        return z.MoveToOuterDisposeScope();
    }
}

/// <summary>
/// HF <c>BartEncoderLayer</c> / <c>MBartEncoderLayer</c> (keys <c>model.encoder.layers.{i}.{self_attn.*, self_attn_layer_norm, fc1,
/// fc2, final_layer_norm}</c>): self-attention then FFN, post-LN (BART) or pre-LN (mBART). x [B, S, d], padding mask
/// [B, 1, 1, S] → [B, S, d].
/// </summary>
public sealed class BartEncoderLayer : Module
{
    private readonly BartAttention self_attn;
    private readonly LayerNorm self_attn_layer_norm;
    private readonly SeamLinear fc1;
    private readonly SeamLinear fc2;
    private readonly LayerNorm final_layer_norm;
    private readonly Dropout dropout;
    private readonly Dropout activation_dropout;
    private readonly bool preLn;

    /// <summary>Creates encoder layer <paramref name="index"/>.</summary>
    public BartEncoderLayer(BartConfig config, int index) : base($"{index}")
    {
        var (d, m) = (config.Shape.HiddenSize, config.Shape.IntermediateSize);
        Sites = new BartLayerSites(SeamStack.Encoder, index);
        self_attn = new BartAttention("self_attn", config, Sites.Self);
        self_attn_layer_norm = nn.LayerNorm(d, config.LayerNormEps);
        fc1 = new SeamLinear("fc1", d, m);
        fc2 = new SeamLinear("fc2", m, d);
        final_layer_norm = nn.LayerNorm(d, config.LayerNormEps);
        dropout = nn.Dropout(config.Dropout);
        activation_dropout = nn.Dropout(config.ActivationDropout);
        preLn = config.IsMBart;
        RegisterComponents();
    }

    /// <summary>This layer's sites.</summary>
    public BartLayerSites Sites { get; }

    /// <summary>The projection at each projection site of this layer.</summary>
    public IEnumerable<(SeamSite Site, SeamLinear Linear)> Projections =>
        [.. self_attn.Projections, (Sites.Ffn.FfnIn, fc1), (Sites.Ffn.FfnOut, fc2)];

    /// <summary>The self-attention (<c>self_attn</c>).</summary>
    public BartAttention SelfAttention => self_attn;

    /// <summary>The layer (see the class remarks for shapes).</summary>
    public Tensor Forward(Tensor x, Tensor mask, AdapterPass pass)
    {
        using var scope = NewDisposeScope();
        var h = BartBlocks.Attention(self_attn, self_attn_layer_norm, preLn, dropout, x, null, mask, pass, null);
        return BartBlocks.Ffn(fc1, fc2, final_layer_norm, preLn, dropout, activation_dropout, Sites.Ffn, h, pass).MoveToOuterDisposeScope();
    }
}

/// <summary>
/// HF <c>BartDecoderLayer</c> / <c>MBartDecoderLayer</c> (keys <c>model.decoder.layers.{i}.{self_attn.*, self_attn_layer_norm,
/// encoder_attn.*, encoder_attn_layer_norm, fc1, fc2, final_layer_norm}</c>): causal self-attention, cross-attention over the encoder
/// memory, FFN; post-LN (BART) or pre-LN (mBART). x [B, T, d], causal mask [1, 1, T, past + T], memory [B, S, d], memory mask
/// [B, 1, 1, S] → [B, T, d].
/// </summary>
public sealed class BartDecoderLayer : Module
{
    private readonly BartAttention self_attn;
    private readonly LayerNorm self_attn_layer_norm;
    private readonly BartAttention encoder_attn;
    private readonly LayerNorm encoder_attn_layer_norm;
    private readonly SeamLinear fc1;
    private readonly SeamLinear fc2;
    private readonly LayerNorm final_layer_norm;
    private readonly Dropout dropout;
    private readonly Dropout activation_dropout;
    private readonly bool preLn;

    /// <summary>Creates decoder layer <paramref name="index"/>.</summary>
    public BartDecoderLayer(BartConfig config, int index) : base($"{index}")
    {
        var (d, m) = (config.Shape.HiddenSize, config.Shape.IntermediateSize);
        Sites = new BartLayerSites(SeamStack.Decoder, index);
        self_attn = new BartAttention("self_attn", config, Sites.Self);
        self_attn_layer_norm = nn.LayerNorm(d, config.LayerNormEps);
        encoder_attn = new BartAttention("encoder_attn", config, Sites.Cross!);
        encoder_attn_layer_norm = nn.LayerNorm(d, config.LayerNormEps);
        fc1 = new SeamLinear("fc1", d, m);
        fc2 = new SeamLinear("fc2", m, d);
        final_layer_norm = nn.LayerNorm(d, config.LayerNormEps);
        dropout = nn.Dropout(config.Dropout);
        activation_dropout = nn.Dropout(config.ActivationDropout);
        preLn = config.IsMBart;
        RegisterComponents();
    }

    /// <summary>This layer's sites.</summary>
    public BartLayerSites Sites { get; }

    /// <summary>The projection at each projection site of this layer.</summary>
    public IEnumerable<(SeamSite Site, SeamLinear Linear)> Projections =>
        [.. self_attn.Projections, .. encoder_attn.Projections, (Sites.Ffn.FfnIn, fc1), (Sites.Ffn.FfnOut, fc2)];

    /// <summary>The causal self-attention (<c>self_attn</c>).</summary>
    public BartAttention SelfAttention => self_attn;

    /// <summary>The cross-attention over the encoder memory (<c>encoder_attn</c>).</summary>
    public BartAttention CrossAttention => encoder_attn;

    /// <summary>The layer (see the class remarks for shapes); <paramref name="cache"/> is this layer's entry or null.</summary>
    public Tensor Forward(Tensor x, Tensor causal, Tensor memory, Tensor memoryMask, AdapterPass pass, LayerKv? cache)
    {
        using var scope = NewDisposeScope();
        var h = BartBlocks.Attention(self_attn, self_attn_layer_norm, preLn, dropout, x, null, causal, pass, cache);
        h = BartBlocks.Attention(encoder_attn, encoder_attn_layer_norm, preLn, dropout, h, memory, memoryMask, pass, cache);
        return BartBlocks.Ffn(fc1, fc2, final_layer_norm, preLn, dropout, activation_dropout, Sites.Ffn, h, pass).MoveToOuterDisposeScope();
    }
}
