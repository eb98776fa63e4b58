using PeftGrid.Models.Seq2Seq;
using PeftGrid.Peft.Adapters;
using PeftGrid.Peft.Budget;
using PeftGrid.Peft.Seams;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace PeftGrid.Models.Bert;

/// <summary>
/// A BERT/RoBERTa-family stack — embeddings and post-LN layers, no pooler (HF <c>BertModel(add_pooling_layer=False)</c>) — with
/// seam sites in every sub-layer (DESIGN.md §2). On its own it is the classification encoder: forward(input ids [B, T] int64,
/// token type ids [B, T] int64, attention mask [B, T] (1 = token, 0 = padding)[, adapters]) → last_hidden_state [B, T, d]
/// (prompt positions, if any, stripped), parameter names the HF keys (<c>embeddings.word_embeddings.weight</c>,
/// <c>encoder.layer.0.attention.self.query.weight</c>, …), sites keyed by them. Under a key prefix it is either half of a
/// warm-started encoder-decoder (<see cref="Bert2Bert.MiniLm2MiniLm"/>): the encoder (<c>encoder.</c>) or the decoder
/// (<c>decoder.bert.</c>, causal self-attention and cross-attention in every layer, no input-embedding site). It holds no PEFT
/// state: the Δh modules come in as an <see cref="AdapterSet"/> per call, so several sets can share one frozen stack.
/// </summary>
public sealed class BertEncoder : Module<Tensor, Tensor, Tensor, Tensor>, IPeftBackbone
{
    private readonly BertEmbeddings embeddings;
    private readonly BertLayerStack encoder;
    private readonly IReadOnlyList<SeamSite> sites;
    private readonly Dictionary<SeamSite, SeamLinear> projections;

    /// <summary>The configuration.</summary>
    public EncoderConfig Config { get; }

    /// <summary>Creates a randomly initialised classification encoder (load weights with the loaders in <c>PeftGrid.Models.Loading</c>).</summary>
    public BertEncoder(EncoderConfig config) : this(config, SeamStack.Encoder, "", config.Shape.NumLayers) { }

    /// <summary>Creates a randomly initialised stack of <paramref name="layers"/> layers whose HF keys start with <paramref name="keyPrefix"/>.</summary>
    /// <param name="config">Sizes, LayerNorm eps, dropout, position offset.</param>
    /// <param name="stack">Encoder (self-attention over padding masks; an input-embedding site for prompt tuning) or decoder
    /// (cross-attention in every layer; no input-embedding site).</param>
    /// <param name="keyPrefix">The key prefix: empty for a classification encoder, <c>encoder.</c> / <c>decoder.bert.</c> in minilm2minilm.</param>
    /// <param name="layers">Number of layers.</param>
    public BertEncoder(EncoderConfig config, SeamStack stack, string keyPrefix, int layers) : base("bert")
    {
        Config = config;
        EmbeddingSite = stack == SeamStack.Encoder
            ? new(SeamStack.Encoder, 0, SeamSubLayer.Embeddings, AttentionKind.None, SeamPosition.InputEmbeddings, keyPrefix + "embeddings")
            : null;
        embeddings = new BertEmbeddings(config, EmbeddingSite);
        encoder = new BertLayerStack(config, stack, layers, keyPrefix + "encoder.layer.");
        sites = [.. EmbeddingSite is null ? [] : new[] { EmbeddingSite }, .. encoder.Layers.SelectMany(l => l.Sites)];
        projections = encoder.Layers.SelectMany(l => l.Projections).ToDictionary(p => p.Site, p => p.Linear);
        RegisterComponents();
    }

    /// <inheritdoc />
    public ModelShape Shape => Config.Shape;

    /// <inheritdoc />
    public IReadOnlyList<SeamSite> Sites => sites;

    /// <summary>The input-embedding site (prompt tuning; key path <c>{prefix}embeddings</c>), or null for a decoder stack.</summary>
    public SeamSite? EmbeddingSite { get; }

    /// <summary>The embeddings.</summary>
    public BertEmbeddings Embeddings => embeddings;

    /// <summary>The layers.</summary>
    public IReadOnlyList<BertLayer> Layers => encoder.Layers;

    /// <summary>The plain pretrained encoder (no adapters). See the class remarks for shapes.</summary>
    public override Tensor forward(Tensor inputIds, Tensor tokenTypeIds, Tensor attentionMask) =>
        forward(inputIds, tokenTypeIds, attentionMask, null);

    /// <summary>The encoder with <paramref name="adapters"/> at their sites (null or empty: the plain encoder). See the class remarks for shapes.</summary>
    public Tensor forward(Tensor inputIds, Tensor tokenTypeIds, Tensor attentionMask, AdapterSet? adapters)
    {
        using var scope = NewDisposeScope();
        using var pass = AdapterPass.Begin(adapters);
        var (h, _) = Encode(inputIds, tokenTypeIds, attentionMask, pass);
        var promptLength = h.shape[1] - inputIds.shape[1];
        if (promptLength > 0)
        {
            h = h[.., (int)promptLength.., ..];
        }
        return h.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The encoder stack in <paramref name="pass"/>, keeping prompt positions: hidden states [B, l + T, d] and the key mask [B, l + T]
    /// (float; 1 for the l prompt positions and the tokens, 0 for padding). Token type ids null = all 0.
    /// </summary>
    /// <exception cref="InvalidOperationException">Called on a decoder stack.</exception>
    public (Tensor Hidden, Tensor Mask) Encode(Tensor inputIds, Tensor? tokenTypeIds, Tensor attentionMask, AdapterPass pass)
    {
        if (EmbeddingSite is null)
        {
            throw new InvalidOperationException("a decoder stack is run by its encoder-decoder, not encoded on its own");
        }
        using var scope = NewDisposeScope();
        var h = embeddings.Forward(inputIds, tokenTypeIds, Config.PositionOffset, pass);
        var mask = CachedAttention.WithPrompt(attentionMask, h.shape[1] - inputIds.shape[1], h.dtype);
        var additive = CachedAttention.Padding(mask, h.dtype);   // [B, 1, 1, l + T]
        foreach (var layer in encoder.Layers)
        {
            h = layer.Forward(h, additive, null, null, pass, null);
        }
        return (h.MoveToOuterDisposeScope(), mask.MoveToOuterDisposeScope());
    }

    /// <inheritdoc />
    public SeamLinear Projection(SeamSite site) => projections.TryGetValue(site, out var linear) ? linear
        : throw new ArgumentException($"{site} is not a projection site of this encoder", nameof(site));

    /// <inheritdoc />
    public IEnumerable<(string Name, Parameter Parameter)> PretrainedParameters() =>
        named_parameters().Select(p => (p.name, p.parameter));
}
