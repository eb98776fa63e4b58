using PeftGrid.Models.Bert;
using PeftGrid.Models.Seq2Seq;
using PeftGrid.Peft.Seams;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace PeftGrid.Models.Bert2Bert;

/// <summary>FFN up-projection W_1 (HF key <c>intermediate.dense</c>); GELU (exact, erf-based) is applied by the layer.</summary>
public sealed class Bert2BertIntermediate : Module
{
    private readonly SeamLinear dense;

    /// <summary>Creates W_1 (d → d_m).</summary>
    public Bert2BertIntermediate(EncoderConfig config) : base("intermediate")
    {
        dense = new SeamLinear("dense", config.Shape.HiddenSize, config.Shape.IntermediateSize);
        RegisterComponents();
    }

    /// <summary>W_1.</summary>
    public SeamLinear Dense => dense;
}

/// <summary>FFN down-projection W_2, dropout and the FFN LayerNorm (HF keys <c>output.{dense,LayerNorm}</c>).</summary>
public sealed class Bert2BertOutput : Module
{
    private readonly SeamLinear dense;
    private readonly LayerNorm LayerNorm;
    private readonly Dropout dropout;

    /// <summary>Creates W_2 (d_m → d) and the LayerNorm.</summary>
    public Bert2BertOutput(EncoderConfig config) : base("output")
    {
        dense = new SeamLinear("dense", config.Shape.IntermediateSize, config.Shape.HiddenSize);
        LayerNorm = nn.LayerNorm(config.Shape.HiddenSize, config.LayerNormEps);
        dropout = nn.Dropout(config.HiddenDropout);
        RegisterComponents();
    }

    /// <summary>W_2.</summary>
    public SeamLinear Dense => dense;

    /// <summary>The FFN on <paramref name="a"/> [B, T, d]: F = Dropout(W_2 GELU(W_1 a)) composed at the output site (x = a), then
    /// LN(a + F), or LN(a + F + A(LN(a + F))) with a module A at the after-norm site (same LayerNorm; PAPER.md §1.8).</summary>
    public Tensor Forward(Tensor a, Bert2BertIntermediate intermediate, FfnSites sites, AdapterPass pass)
    {
        using var scope = NewDisposeScope();
        var z = nn.functional.gelu(intermediate.Dense.Forward(a, pass.Linear(sites.FfnIn)));
        var f = pass.Compose(sites.Output, a, dropout.forward(dense.Forward(z, pass.Linear(sites.FfnOut))));
        var y = LayerNorm.forward(a + f);
        if (pass.HiddenState(sites.AfterNorm) is { } adapter)
        {
            y = LayerNorm.forward(a + f + adapter.Delta(y, y));
        }
        return y.MoveToOuterDisposeScope();
    }
}

/// <summary>
/// One post-LN BERT layer of a warm-started encoder-decoder (HF <c>BertLayer</c>): self-attention (causal in the decoder), for a
/// decoder layer a new cross-attention sub-layer over the encoder memory (HF <c>add_cross_attention</c>, placed after
/// self-attention), then the FFN. Sites per sub-layer from <see cref="AttentionSites.Create"/> / <see cref="FfnSites.Create"/>.
/// </summary>
public sealed class Bert2BertLayer : Module
{
    private readonly Bert2BertAttention attention;
    private readonly Bert2BertAttention? crossattention;
    private readonly Bert2BertIntermediate intermediate;
    private readonly Bert2BertOutput output;

    /// <summary>Creates layer <paramref name="index"/> of <paramref name="stack"/> whose keys start with <paramref name="path"/>
    /// (e.g. <c>decoder.bert.encoder.layer.0.</c>); a decoder layer gets cross-attention.</summary>
    public Bert2BertLayer(EncoderConfig config, SeamStack stack, int index, string path) : base($"{index}")
    {
        AttentionSites Attn(AttentionKind kind, string m) => AttentionSites.Create(stack, index, kind, path + m + ".self",
            path + m + ".self.query", path + m + ".self.key", path + m + ".self.value", path + m + ".output.dense", path + m + ".output");
        SelfSites = Attn(AttentionKind.Self, "attention");
        CrossSites = stack == SeamStack.Decoder ? Attn(AttentionKind.Cross, "crossattention") : null;
        FfnSites = FfnSites.Create(stack, index, path + "intermediate.dense", path + "output.dense", path + "output");
        attention = new Bert2BertAttention("attention", config, SelfSites);
        crossattention = CrossSites is null ? null : new Bert2BertAttention("crossattention", config, CrossSites);
        intermediate = new Bert2BertIntermediate(config);
        output = new Bert2BertOutput(config);
        RegisterComponents();
    }

    /// <summary>The self-attention's sites.</summary>
    public AttentionSites SelfSites { get; }

    /// <summary>The cross-attention's sites (decoder layers), else null.</summary>
    public AttentionSites? CrossSites { get; }

    /// <summary>The FFN's sites.</summary>
    public FfnSites FfnSites { get; }

    /// <summary>Every site of the layer in forward order (self-attention, cross-attention, FFN).</summary>
    public IEnumerable<SeamSite> Sites => [.. SelfSites.All, .. CrossSites?.All ?? [], .. FfnSites.All];

    /// <summary>The projection at each projection site of this layer.</summary>
    public IEnumerable<(SeamSite Site, SeamLinear Linear)> Projections =>
        [.. attention.Projections, .. crossattention?.Projections ?? [], (FfnSites.FfnIn, intermediate.Dense), (FfnSites.FfnOut, output.Dense)];

    /// <summary>The layer on x [B, T, d] → [B, T, d].</summary>
    /// <param name="x">Input states.</param>
    /// <param name="selfMask">Additive self-attention mask (padding [B, 1, 1, T] in the encoder; causal [1, 1, T, past + T] in the decoder).</param>
    /// <param name="memory">Encoder states [B, S, d] for a decoder layer; null in the encoder.</param>
    /// <param name="crossMask">Additive padding mask [B, 1, 1, S] of the memory; null in the encoder.</param>
    /// <param name="pass">The forward pass.</param>
    /// <param name="cache">The layer's cache (decoder), or null.</param>
    public Tensor Forward(Tensor x, Tensor selfMask, Tensor? memory, Tensor? crossMask, AdapterPass pass, LayerKv? cache)
    {
        using var scope = NewDisposeScope();
        var a = attention.Forward(x, null, selfMask, pass, cache);
        if (crossattention is not null)
        {
            a = crossattention.Forward(a, memory ?? throw new ArgumentNullException(nameof(memory), "a decoder layer needs the encoder memory"),
                crossMask ?? throw new ArgumentNullException(nameof(crossMask), "a decoder layer needs the memory mask"), pass, cache);
        }
        return output.Forward(a, intermediate, FfnSites, pass).MoveToOuterDisposeScope();
    }
}

/// <summary>The layers of one stack (HF key prefix <c>encoder.layer.{i}</c> inside the stack).</summary>
public sealed class Bert2BertLayerStack : Module
{
    private readonly ModuleList<Bert2BertLayer> layer;

    /// <summary>Creates <paramref name="count"/> layers of <paramref name="stack"/>, keys under <paramref name="path"/> (e.g. <c>encoder.encoder.layer.</c>).</summary>
    public Bert2BertLayerStack(EncoderConfig config, SeamStack stack, int count, string path) : base("encoder")
    {
        layer = new ModuleList<Bert2BertLayer>(Enumerable.Range(0, count).Select(i => new Bert2BertLayer(config, stack, i, $"{path}{i}.")).ToArray());
        Layers = layer.ToList();
        RegisterComponents();
    }

    /// <summary>The layers.</summary>
    public IReadOnlyList<Bert2BertLayer> Layers { get; }
}

/// <summary>A BERT model without pooler: embeddings and layers (HF <c>BertModel(add_pooling_layer=False)</c>).</summary>
public sealed class Bert2BertStack : Module
{
    private readonly Bert2BertEmbeddings embeddings;
    private readonly Bert2BertLayerStack encoder;

    /// <summary>Creates the stack whose keys start with <paramref name="path"/> (<c>encoder.</c> or <c>decoder.bert.</c>).</summary>
    /// <param name="name">Module name (<c>encoder</c> or <c>bert</c>).</param>
    /// <param name="config">Sizes and dropout.</param>
    /// <param name="stack">Encoder or decoder.</param>
    /// <param name="layers">Number of layers.</param>
    /// <param name="path">Key prefix of the stack.</param>
    /// <param name="embeddingSite">The prompt site of the encoder, null for the decoder.</param>
    public Bert2BertStack(string name, EncoderConfig config, SeamStack stack, int layers, string path, SeamSite? embeddingSite) : base(name)
    {
        embeddings = new Bert2BertEmbeddings(config, embeddingSite);
        encoder = new Bert2BertLayerStack(config, stack, layers, path + "encoder.layer.");
        RegisterComponents();
    }

    /// <summary>The embeddings.</summary>
    public Bert2BertEmbeddings Embeddings => embeddings;

    /// <summary>The layers.</summary>
    public IReadOnlyList<Bert2BertLayer> Layers => encoder.Layers;
}
