using PeftGrid.Peft.Budget;
using PeftGrid.Peft.Seams;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace PeftGrid.Models.Bert;

/// <summary>The stack of encoder layers (HF key prefix <c>encoder.layer.{i}</c>).</summary>
public sealed class BertLayerStack : Module
{
    private readonly ModuleList<BertLayer> layer;
    private readonly IReadOnlyList<BertLayer> view;

    /// <summary>Creates L layers.</summary>
    public BertLayerStack(EncoderConfig config) : base("encoder")
    {
        layer = new ModuleList<BertLayer>(Enumerable.Range(0, config.Shape.NumLayers).Select(i => new BertLayer(config, i)).ToArray());
        view = layer.ToList();
        RegisterComponents();
    }

    /// <summary>The layers.</summary>
    public IReadOnlyList<BertLayer> Layers => view;
}

/// <summary>
/// A BERT/RoBERTa-family encoder with one seam per sub-layer (DESIGN.md §2). forward(input ids [B, T] int64, token type ids [B, T]
/// int64, attention mask [B, T] (1 = token, 0 = padding)) → last_hidden_state [B, T, d] (prompt positions, if any, stripped).
/// Parameter names are the HF keys (<c>embeddings.word_embeddings.weight</c>, <c>encoder.layer.0.attention.self.query.weight</c>, …);
/// the pooler is not part of it.
/// </summary>
public sealed class BertEncoder : Module<Tensor, Tensor, Tensor, Tensor>, IPeftBackbone
{
    private readonly BertEmbeddings embeddings;
    private readonly BertLayerStack encoder;
    private readonly EncoderSeams seams;

    /// <summary>The configuration.</summary>
    public EncoderConfig Config { get; }

    /// <summary>Creates a randomly initialised encoder (load weights with the loaders in <c>PeftGrid.Models.Loading</c>).</summary>
    public BertEncoder(EncoderConfig config) : base("bert")
    {
        Config = config;
        seams = new EncoderSeams(config.Shape.NumLayers);
        embeddings = new BertEmbeddings(config, seams);
        encoder = new BertLayerStack(config);
        RegisterComponents();
    }

    /// <inheritdoc />
    public ModelShape Shape => Config.Shape;

    /// <inheritdoc />
    public EncoderSeams Seams => seams;

    /// <inheritdoc />
    public override Tensor forward(Tensor inputIds, Tensor tokenTypeIds, Tensor attentionMask)
    {
        using var scope = NewDisposeScope();
        var h = embeddings.forward(inputIds, tokenTypeIds);
        var mask = attentionMask.to(h.dtype);
        var promptLength = seams.Prompt is null ? 0 : h.shape[1] - inputIds.shape[1];
        if (promptLength > 0)
        {
            mask = torch.cat([torch.ones(mask.shape[0], promptLength, dtype: mask.dtype, device: mask.device), mask], 1);
        }
        var additive = ((1.0f - mask) * -1e9f).unsqueeze(1).unsqueeze(2);   // [B, 1, 1, T]
        var prefixes = seams.Prefix?.Compute();                               // [L, 2, l, d]
        for (var i = 0; i < encoder.Layers.Count; i++)
        {
            h = encoder.Layers[i].Forward(h, additive, prefixes?[i], seams.PrefixUse, seams.Layers[i]);
        }
        if (promptLength > 0)
        {
            h = h[.., (int)promptLength.., ..];
        }
        return h.MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public SeamLinear GetProjection(int layer, Projection which)
    {
        if (layer < 0 || layer >= encoder.Layers.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(layer), layer, $"layer must be in [0, {encoder.Layers.Count})");
        }
        var l = encoder.Layers[layer];
        return which switch
        {
            Projection.Query => l.Attention.Self.Projections.Query,
            Projection.Key => l.Attention.Self.Projections.Key,
            Projection.Value => l.Attention.Self.Projections.Value,
            Projection.AttentionOutput => l.Attention.Output.Dense,
            Projection.FfnIn => l.FfnIn,
            Projection.FfnOut => l.FfnOut,
            _ => throw new ArgumentOutOfRangeException(nameof(which), which, "unknown projection"),
        };
    }

    /// <inheritdoc />
    public string ProjectionPath(int layer, Projection which) => $"encoder.layer.{layer}." + which switch
    {
        Projection.Query => "attention.self.query",
        Projection.Key => "attention.self.key",
        Projection.Value => "attention.self.value",
        Projection.AttentionOutput => "attention.output.dense",
        Projection.FfnIn => "intermediate.dense",
        Projection.FfnOut => "output.dense",
        _ => throw new ArgumentOutOfRangeException(nameof(which), which, "unknown projection"),
    };

    /// <inheritdoc />
    public IEnumerable<(string Name, Parameter Parameter)> PretrainedParameters() =>
        named_parameters().Select(p => (p.name, p.parameter));
}
