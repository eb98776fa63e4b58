using PeftGrid.Models.Bert;
using PeftGrid.Models.Loading;
using PeftGrid.Models.Seq2Seq;
using PeftGrid.Peft.Adapters;
using PeftGrid.Peft.Budget;
using PeftGrid.Peft.Catalog;
using PeftGrid.Peft.Seams;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace PeftGrid.Models.Bert2Bert;

/// <summary>
/// minilm2minilm: a BERT encoder-decoder warm-started from all-MiniLM-L6-v2 by the recipe of Rothe et al. (TACL 2020) as HF
/// <c>EncoderDecoderModel.from_encoder_decoder_pretrained(m, m)</c> builds it. Encoder = BERT (keys <c>encoder.embeddings.*</c>,
/// <c>encoder.encoder.layer.{i}.*</c>); decoder = a separate copy of the same weights (<c>decoder.bert.*</c>) run with a causal
/// self-attention mask and a new cross-attention sub-layer after self-attention in every layer
/// (<c>decoder.bert.encoder.layer.{i}.crossattention.{self.{query,key,value},output.{dense,LayerNorm}}</c>, HF <c>_init_weights</c>:
/// Linear N(0, 0.02), bias 0, LayerNorm 1/0); LM logits = h Eᵀ + b with E the decoder's word embeddings (tied) and a new bias
/// <c>decoder.cls.predictions.bias</c> [V] (zeros). Deviation from HF: no <c>cls.predictions.transform</c> (dense + GELU +
/// LayerNorm) before the tied projection, because the sentence-transformers checkpoint has none. The pooler is not built.
/// The new parts are <see cref="NewParameters"/> (role <see cref="ParameterRole.WarmStart"/>: trained by every method, outside
/// every budget); the pretrained ones (both copies, 45,130,752) are <see cref="PretrainedParameters"/>. Token type ids are 0;
/// decoder positions start at the cache length. Holds no PEFT state: adapter sets come in per call.
/// </summary>
public sealed class MiniLm2MiniLm : Module, ISeq2SeqBackbone
{
    private readonly Bert2BertStack encoder;
    private readonly Bert2BertDecoder decoder;
    private readonly IReadOnlyList<SeamSite> sites;
    private readonly Dictionary<SeamSite, SeamLinear> projections;

    /// <summary>The encoder's input-embedding site (prompt tuning), key path <c>encoder.embeddings</c>.</summary>
    public static SeamSite EmbeddingSite { get; } =
        new(SeamStack.Encoder, 0, SeamSubLayer.Embeddings, AttentionKind.None, SeamPosition.InputEmbeddings, "encoder.embeddings");

    /// <summary>A randomly initialised model (load pretrained weights with <see cref="Load"/>). The new parts take HF BERT's init from
    /// the global torch RNG: seed torch first for reproducible values.</summary>
    /// <param name="config">Sizes (a <see cref="ModelLayout.WarmStartedBert"/> shape), LayerNorm eps and dropout.</param>
    /// <exception cref="ArgumentException">The shape is not a warm-started BERT encoder-decoder.</exception>
    public MiniLm2MiniLm(EncoderConfig config) : base("minilm2minilm")
    {
        if (config.Shape.Layout != ModelLayout.WarmStartedBert || config.Shape.DecoderLayers < 1)
        {
            throw new ArgumentException($"model '{config.Shape.Name}': layout {config.Shape.Layout} with {config.Shape.DecoderLayers} decoder layers; minilm2minilm needs layout WarmStartedBert with at least one decoder layer", nameof(config));
        }
        Config = config;
        encoder = new Bert2BertStack("encoder", config, SeamStack.Encoder, config.Shape.NumLayers, "encoder.", EmbeddingSite);
        decoder = new Bert2BertDecoder(config, config.Shape.DecoderLayers);
        sites = [EmbeddingSite, .. encoder.Layers.SelectMany(l => l.Sites), .. decoder.Bert.Layers.SelectMany(l => l.Sites)];
        projections = encoder.Layers.Concat(decoder.Bert.Layers).SelectMany(l => l.Projections).ToDictionary(p => p.Site, p => p.Linear);
        RegisterComponents();
        InitNewParameters();
    }

    /// <summary>The catalog model (<see cref="ModelCatalog.MiniLm2MiniLm"/>) with all-MiniLM-L6-v2's weights, read from the bundled ONNX
    /// graph (<see cref="MiniLmOnnx.ReadWeights"/>), in both the encoder and the decoder copy; new parts freshly initialised.</summary>
    /// <param name="dropout">Hidden and attention dropout probability (0.1 by default).</param>
    /// <exception cref="InvalidDataException">The graph is missing, or has unknown, missing or mis-shaped weights.</exception>
    public static MiniLm2MiniLm Load(double dropout = 0.1)
    {
        var model = new MiniLm2MiniLm(EncoderConfig.For(ModelCatalog.MiniLm2MiniLm).WithDropout(dropout));
        var state = MiniLmOnnx.ReadWeights();
        try
        {
            var source = new Dictionary<string, Tensor>();
            foreach (var (name, tensor) in state)
            {
                source["encoder." + name] = tensor;
                source["decoder.bert." + name] = tensor;
            }
            StateDictCopier.Copy(model.PretrainedParameters().ToDictionary(p => p.Name, p => p.Parameter), source, MiniLmOnnx.ModelResource);
        }
        finally
        {
            foreach (var t in state.Values) { t.Dispose(); }
        }
        return model;
    }

    /// <summary>Sizes, LayerNorm eps and dropout.</summary>
    public EncoderConfig Config { get; }

    /// <inheritdoc />
    public ModelShape Shape => Config.Shape;

    /// <inheritdoc />
    public IReadOnlyList<SeamSite> Sites => sites;

    /// <summary>Pad 0 ([PAD]), eos 102 ([SEP]), decoder start 101 ([CLS]), no forced BOS.</summary>
    public Seq2SeqTokens Tokens { get; } = new(Pad: 0, Eos: 102, DecoderStart: 101, ForcedBos: null);

    /// <inheritdoc />
    public int MaxTargetPositions => (int)decoder.Bert.Embeddings.MaxPositions;

    /// <inheritdoc />
    public int DecoderLayers => decoder.Bert.Layers.Count;

    /// <inheritdoc />
    public SeamLinear Projection(SeamSite site) => projections.TryGetValue(site, out var linear) ? linear
        : throw new ArgumentException($"{site} is not a projection site of minilm2minilm", nameof(site));

    /// <inheritdoc />
    public IEnumerable<(string Name, Parameter Parameter)> PretrainedParameters() =>
        named_parameters().Where(p => !IsNew(p.name)).Select(p => (p.name, p.parameter));

    /// <inheritdoc />
    public IEnumerable<(string Name, Parameter Parameter)> NewParameters() =>
        named_parameters().Where(p => IsNew(p.name)).Select(p => (p.name, p.parameter));

    /// <summary>True for the key of a part the checkpoint lacks: <c>….crossattention.*</c> and <c>decoder.cls.predictions.bias</c>.</summary>
    public static bool IsNew(string name) =>
        name.Contains(".crossattention.", StringComparison.Ordinal) || name == "decoder.cls.predictions.bias";

    /// <inheritdoc />
    public EncoderMemory Encode(Tensor inputIds, Tensor attentionMask, AdapterSet? adapters)
    {
        using var scope = NewDisposeScope();
        using var pass = AdapterPass.Begin(adapters);
        var h = encoder.Embeddings.Forward(inputIds, 0, pass);
        var mask = attentionMask.to(h.dtype);
        var promptLength = h.shape[1] - inputIds.shape[1];
        if (promptLength > 0)
        {
            mask = torch.cat([torch.ones(mask.shape[0], promptLength, dtype: mask.dtype, device: mask.device), mask], 1);
        }
        var additive = CachedAttention.Padding(mask, h.dtype);   // [B, 1, 1, l + S]
        foreach (var layer in encoder.Layers)
        {
            h = layer.Forward(h, additive, null, null, pass, null);
        }
        return new EncoderMemory(h.MoveToOuterDisposeScope(), mask.MoveToOuterDisposeScope());
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The positions would exceed <see cref="MaxTargetPositions"/>.</exception>
    public Tensor Decode(Tensor decoderInputIds, EncoderMemory memory, AdapterSet? adapters, KvCache? cache = null)
    {
        using var scope = NewDisposeScope();
        using var pass = AdapterPass.Begin(adapters);
        var past = cache?.Length ?? 0;
        var t = decoderInputIds.shape[1];
        if (past + t > MaxTargetPositions)
        {
            throw new ArgumentException($"decoder length {past + t} (cached {past} + new {t}) exceeds minilm2minilm's {MaxTargetPositions} positions", nameof(decoderInputIds));
        }
        var h = decoder.Bert.Embeddings.Forward(decoderInputIds, past, pass);
        var causal = CachedAttention.Causal(past, t, h.device, h.dtype);
        var cross = CachedAttention.Padding(memory.Mask, h.dtype);
        var layers = decoder.Bert.Layers;
        for (var i = 0; i < layers.Count; i++)
        {
            h = layers[i].Forward(h, causal, memory.Hidden, cross, pass, cache?[i]);
        }
        return nn.functional.linear(h, decoder.Bert.Embeddings.WordEmbeddings, decoder.LmBias).MoveToOuterDisposeScope();
    }

    private void InitNewParameters()
    {
        using var _ = torch.no_grad();
        foreach (var (name, p) in NewParameters())
        {
            if (name.EndsWith("LayerNorm.weight", StringComparison.Ordinal)) { p.fill_(1.0); }
            else if (name.EndsWith(".weight", StringComparison.Ordinal)) { nn.init.normal_(p, 0, 0.02); }
            else { p.zero_(); }
        }
    }
}
