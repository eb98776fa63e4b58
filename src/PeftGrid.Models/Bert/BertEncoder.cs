using PeftGrid.Peft.Adapters;
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
/// A BERT/RoBERTa-family encoder with seam sites in every sub-layer (DESIGN.md §2; <see cref="BertLayerSites"/>).
/// forward(input ids [B, T] int64, token type ids [B, T] int64, attention mask [B, T] (1 = token, 0 = padding)[, adapters])
/// → last_hidden_state [B, T, d] (prompt positions, if any, stripped). It holds no PEFT state: the Δh modules come in as an
/// <see cref="AdapterSet"/> per call, so several sets can share one frozen encoder. Parameter names are the HF keys
/// (<c>embeddings.word_embeddings.weight</c>, <c>encoder.layer.0.attention.self.query.weight</c>, …); the pooler is not part of it.
/// </summary>
public sealed class BertEncoder : Module<Tensor, Tensor, Tensor, Tensor>, IPeftBackbone
{
    private readonly BertEmbeddings embeddings;
    private readonly BertLayerStack encoder;
    private readonly IReadOnlyList<SeamSite> sites;
    private readonly Dictionary<SeamSite, SeamLinear> projections;

    /// <summary>The configuration.</summary>
    public EncoderConfig Config { get; }

    /// <summary>Creates a randomly initialised encoder (load weights with the loaders in <c>PeftGrid.Models.Loading</c>).</summary>
    public BertEncoder(EncoderConfig config) : base("bert")
    {
        Config = config;
        embeddings = new BertEmbeddings(config);
        encoder = new BertLayerStack(config);
        sites = [BertLayerSites.Embeddings, .. encoder.Layers.SelectMany(l => l.Sites.All)];
        projections = encoder.Layers.SelectMany(l => l.Projections).ToDictionary(p => p.Site, p => p.Linear);
        RegisterComponents();
    }

    /// <inheritdoc />
    public ModelShape Shape => Config.Shape;

    /// <inheritdoc />
    public IReadOnlyList<SeamSite> Sites => sites;

    /// <summary>The plain pretrained encoder (no adapters). See the class remarks for shapes.</summary>
    public override Tensor forward(Tensor inputIds, Tensor tokenTypeIds, Tensor attentionMask) =>
        forward(inputIds, tokenTypeIds, attentionMask, null);

    /// <summary>The encoder with <paramref name="adapters"/> at their sites (null or empty: the plain encoder). See the class remarks for shapes.</summary>
    public Tensor forward(Tensor inputIds, Tensor tokenTypeIds, Tensor attentionMask, AdapterSet? adapters)
    {
        using var scope = NewDisposeScope();
        using var pass = AdapterPass.Begin(adapters);
        var h = embeddings.Forward(inputIds, tokenTypeIds, pass);
        var mask = attentionMask.to(h.dtype);
        var promptLength = h.shape[1] - inputIds.shape[1];
        if (promptLength > 0)
        {
            mask = torch.cat([torch.ones(mask.shape[0], promptLength, dtype: mask.dtype, device: mask.device), mask], 1);
        }
        var additive = ((1.0f - mask) * -1e9f).unsqueeze(1).unsqueeze(2);   // [B, 1, 1, T]
        foreach (var layer in encoder.Layers)
        {
            h = layer.Forward(h, additive, pass);
        }
        if (promptLength > 0)
        {
            h = h[.., (int)promptLength.., ..];
        }
        return h.MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public SeamLinear Projection(SeamSite site) => projections.TryGetValue(site, out var linear) ? linear
        : throw new ArgumentException($"{site} is not a projection site of this encoder", nameof(site));

    /// <inheritdoc />
    public IEnumerable<(string Name, Parameter Parameter)> PretrainedParameters() =>
        named_parameters().Select(p => (p.name, p.parameter));
}
