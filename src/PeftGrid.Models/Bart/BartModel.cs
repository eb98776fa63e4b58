using PeftGrid.Models.Seq2Seq;
using PeftGrid.Peft.Adapters;
using PeftGrid.Peft.Budget;
using PeftGrid.Peft.Seams;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace PeftGrid.Models.Bart;

/// <summary>HF <c>BartModel</c> / <c>MBartModel</c> (key prefix <c>model.</c>): the shared token embeddings <c>model.shared</c>
/// (= both stacks' <c>embed_tokens</c> and the LM head), the encoder and the decoder.</summary>
public sealed class BartCore : Module
{
    private readonly Embedding shared;
    private readonly BartEncoder encoder;
    private readonly BartDecoder decoder;

    /// <summary>Creates the three parts of <paramref name="config"/>.</summary>
    public BartCore(BartConfig config) : base("model")
    {
        shared = nn.Embedding(config.Shape.VocabSize, config.Shape.HiddenSize, padding_idx: config.PadTokenId);
        encoder = new BartEncoder(config);
        decoder = new BartDecoder(config);
        RegisterComponents();
    }

    /// <summary>The shared token embeddings [V, d] (<c>model.shared.weight</c>).</summary>
    public Embedding Shared => shared;

    /// <summary>The encoder.</summary>
    public BartEncoder Encoder => encoder;

    /// <summary>The decoder.</summary>
    public BartDecoder Decoder => decoder;
}

/// <summary>
/// BART / mBART for conditional generation (HF <c>BartForConditionalGeneration</c>, <c>MBartForConditionalGeneration</c>) as an
/// <see cref="ISeq2SeqBackbone"/>: learned positions with HF's offset 2, <c>layernorm_embedding</c> per stack, post-LN layers (BART)
/// or pre-LN layers with a final <c>layer_norm</c> per stack (mBART), <c>embed_scale</c> √d when <c>scale_embedding</c>, GELU FFNs,
/// LM head tied to <c>model.shared</c> plus the <c>final_logits_bias</c> buffer [1, V]. Parameter names are the HF keys
/// (<c>model.shared.weight</c> once, <c>model.encoder.layers.0.self_attn.q_proj.weight</c>, …). Sites: the encoder embeddings, the
/// encoder layers, then the decoder layers (<see cref="BartLayerSites"/>). Holds no PEFT state. Init: PyTorch module defaults (load
/// pretrained weights with <see cref="Loading.BartCheckpoint"/>).
/// </summary>
public sealed class BartModel : Module, ISeq2SeqBackbone
{
    private readonly BartCore model;
    private readonly IReadOnlyList<SeamSite> sites;
    private readonly Dictionary<SeamSite, SeamLinear> projections;

    /// <summary>Buffer name of the logits bias.</summary>
    public const string FinalLogitsBias = "final_logits_bias";

    /// <summary>Creates a randomly initialised model of <paramref name="config"/>.</summary>
    public BartModel(BartConfig config) : base("bart")
    {
        Config = config;
        model = new BartCore(config);
        register_buffer(FinalLogitsBias, torch.zeros(1, config.Shape.VocabSize));
        sites = [BartLayerSites.EncoderEmbeddings, .. model.Encoder.Layers.SelectMany(l => l.Sites.All), .. model.Decoder.Layers.SelectMany(l => l.Sites.All)];
        projections = model.Encoder.Layers.SelectMany(l => l.Projections).Concat(model.Decoder.Layers.SelectMany(l => l.Projections))
            .ToDictionary(p => p.Site, p => p.Linear);
        RegisterComponents();
    }

    /// <summary>The configuration.</summary>
    public BartConfig Config { get; }

    /// <summary>The inner model (<c>model.*</c>).</summary>
    public BartCore Model => model;

    /// <summary>The <c>final_logits_bias</c> buffer [1, V] added to every logit row.</summary>
    public Tensor LogitsBias => get_buffer(FinalLogitsBias)!;

    /// <inheritdoc />
    public ModelShape Shape => Config.Shape;

    /// <inheritdoc />
    public IReadOnlyList<SeamSite> Sites => sites;

    /// <inheritdoc />
    public Seq2SeqTokens Tokens => Config.Tokens;

    /// <inheritdoc />
    public int MaxTargetPositions => Config.MaxPositionEmbeddings;

    /// <inheritdoc />
    public int DecoderLayers => Shape.DecoderLayers;

    /// <inheritdoc />
    public EncoderMemory Encode(Tensor inputIds, Tensor attentionMask, AdapterSet? adapters)
    {
        using var scope = NewDisposeScope();
        using var pass = AdapterPass.Begin(adapters);
        var (hidden, mask) = model.Encoder.Forward(inputIds, attentionMask, model.Shared, pass);
        return new EncoderMemory(hidden.MoveToOuterDisposeScope(), mask.MoveToOuterDisposeScope());
    }

    /// <inheritdoc />
    public Tensor Decode(Tensor decoderInputIds, EncoderMemory memory, AdapterSet? adapters, KvCache? cache = null)
    {
        using var scope = NewDisposeScope();
        using var pass = AdapterPass.Begin(adapters);
        var h = model.Decoder.Forward(decoderInputIds, memory, model.Shared, pass, cache);
        var logits = nn.functional.linear(h, model.Shared.weight!) + LogitsBias;
        return logits.to(ScalarType.Float32).MoveToOuterDisposeScope();
    }

    /// <summary>Teacher-forced logits [B, T, V] of input ids [B, S], attention mask [B, S] and decoder input ids [B, T] with <paramref name="adapters"/>.</summary>
    public Tensor Logits(Tensor inputIds, Tensor attentionMask, Tensor decoderInputIds, AdapterSet? adapters = null)
    {
        using var memory = Encode(inputIds, attentionMask, adapters);
        return Decode(decoderInputIds, memory, adapters);
    }

    /// <inheritdoc />
    public SeamLinear Projection(SeamSite site) => projections.TryGetValue(site, out var linear) ? linear
        : throw new ArgumentException($"{site} is not a projection site of this model", nameof(site));

    /// <inheritdoc />
    public IEnumerable<(string Name, Parameter Parameter)> PretrainedParameters() =>
        named_parameters().Select(p => (p.name, p.parameter));

    /// <inheritdoc />
    public IEnumerable<(string Name, Parameter Parameter)> NewParameters() => [];
}
