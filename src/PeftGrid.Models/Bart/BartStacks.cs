using PeftGrid.Models.Seq2Seq;
using PeftGrid.Peft.Seams;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace PeftGrid.Models.Bart;

/// <summary>Shared pieces of both stacks: learned positions with HF's offset of 2 and the embedding sum.</summary>
internal static class BartEmbedding
{
    /// <summary>E·scale + P[past + 2 …]: token embeddings <paramref name="ids"/> [B, T] of <paramref name="tokens"/> times
    /// <paramref name="scale"/>, plus rows past + 2 … past + T + 1 of <paramref name="positions"/> → [B, T, d].</summary>
    /// <exception cref="ArgumentException">past + T exceeds the position table.</exception>
    public static Tensor Sum(Embedding tokens, Embedding positions, double scale, Tensor ids, long past, string stack)
    {
        using var scope = NewDisposeScope();
        var t = ids.shape[1];
        var rows = positions.weight!.shape[0] - BartConfig.PositionOffset;
        if (past + t > rows)
        {
            throw new ArgumentException($"{stack} sequence length {past + t} exceeds max_position_embeddings {rows}", nameof(ids));
        }
        var pos = torch.arange(past + BartConfig.PositionOffset, past + BartConfig.PositionOffset + t, dtype: ScalarType.Int64, device: ids.device);
        var e = tokens.forward(ids);
        if (scale != 1.0) { e = e * scale; }
        return (e + positions.forward(pos)).MoveToOuterDisposeScope();
    }
}

/// <summary>
/// HF <c>BartEncoder</c> / <c>MBartEncoder</c> (keys <c>model.encoder.{embed_positions, layernorm_embedding, layers.{i}, layer_norm}</c>;
/// <c>layer_norm</c> for mBART only; <c>embed_tokens</c> is <c>model.shared</c>, passed in). Prompt vectors (the
/// <see cref="BartLayerSites.EncoderEmbeddings"/> site) are prepended to the scaled token + position embeddings before
/// <c>layernorm_embedding</c>, and kept in the output with mask 1.
/// </summary>
public sealed class BartEncoder : Module
{
    private readonly Embedding embed_positions;
    private readonly LayerNorm layernorm_embedding;
    private readonly ModuleList<BartEncoderLayer> layers;
    private readonly LayerNorm? layer_norm;
    private readonly Dropout dropout;
    private readonly double embedScale;

    /// <summary>Creates the encoder of <paramref name="config"/>.</summary>
    public BartEncoder(BartConfig config) : base("encoder")
    {
        var d = config.Shape.HiddenSize;
        embed_positions = nn.Embedding(config.Shape.MaxPositions, d);
        layernorm_embedding = nn.LayerNorm(d, config.LayerNormEps);
        layers = new ModuleList<BartEncoderLayer>(Enumerable.Range(0, config.Shape.NumLayers).Select(i => new BartEncoderLayer(config, i)).ToArray());
        layer_norm = config.IsMBart ? nn.LayerNorm(d, config.LayerNormEps) : null;
        dropout = nn.Dropout(config.Dropout);
        embedScale = config.EmbedScale;
        Layers = layers.ToList();
        RegisterComponents();
    }

    /// <summary>The layers.</summary>
    public IReadOnlyList<BartEncoderLayer> Layers { get; }

    /// <summary>Input ids [B, S] int64, attention mask [B, S] (1 token, 0 padding) → states [B, l + S, d] and mask [B, l + S] (float).</summary>
    public (Tensor Hidden, Tensor Mask) Forward(Tensor inputIds, Tensor attentionMask, Embedding shared, AdapterPass pass)
    {
        using var scope = NewDisposeScope();
        var e = BartEmbedding.Sum(shared, embed_positions, embedScale, inputIds, 0, "encoder");
        if (pass.Embedding(BartLayerSites.EncoderEmbeddings) is { } adapter)
        {
            e = adapter.Extend(e);
        }
        var h = dropout.forward(layernorm_embedding.forward(e));
        var mask = CachedAttention.WithPrompt(attentionMask, h.shape[1] - inputIds.shape[1], h.dtype);
        var additive = CachedAttention.Padding(mask, h.dtype);
        foreach (var layer in Layers)
        {
            h = layer.Forward(h, additive, pass);
        }
        if (layer_norm is not null)
        {
            h = layer_norm.forward(h);
        }
        return (h.MoveToOuterDisposeScope(), mask.MoveToOuterDisposeScope());
    }
}

/// <summary>
/// HF <c>BartDecoder</c> / <c>MBartDecoder</c> (keys <c>model.decoder.{embed_positions, layernorm_embedding, layers.{i}, layer_norm}</c>;
/// <c>layer_norm</c> for mBART only; <c>embed_tokens</c> is <c>model.shared</c>, passed in). Positions start at the cache length.
/// </summary>
public sealed class BartDecoder : Module
{
    private readonly Embedding embed_positions;
    private readonly LayerNorm layernorm_embedding;
    private readonly ModuleList<BartDecoderLayer> layers;
    private readonly LayerNorm? layer_norm;
    private readonly Dropout dropout;
    private readonly double embedScale;

    /// <summary>Creates the decoder of <paramref name="config"/>.</summary>
    public BartDecoder(BartConfig config) : base("decoder")
    {
        var d = config.Shape.HiddenSize;
        embed_positions = nn.Embedding(config.Shape.MaxPositions, d);
        layernorm_embedding = nn.LayerNorm(d, config.LayerNormEps);
        layers = new ModuleList<BartDecoderLayer>(Enumerable.Range(0, config.Shape.DecoderLayers).Select(i => new BartDecoderLayer(config, i)).ToArray());
        layer_norm = config.IsMBart ? nn.LayerNorm(d, config.LayerNormEps) : null;
        dropout = nn.Dropout(config.Dropout);
        embedScale = config.EmbedScale;
        Layers = layers.ToList();
        RegisterComponents();
    }

    /// <summary>The layers.</summary>
    public IReadOnlyList<BartDecoderLayer> Layers { get; }

    /// <summary>Decoder ids [B, T] int64 after <c>cache.Length</c> cached positions, over <paramref name="memory"/> → last hidden state [B, T, d].</summary>
    public Tensor Forward(Tensor decoderInputIds, EncoderMemory memory, Embedding shared, AdapterPass pass, KvCache? cache)
    {
        using var scope = NewDisposeScope();
        var past = cache?.Length ?? 0;
        var h = dropout.forward(layernorm_embedding.forward(BartEmbedding.Sum(shared, embed_positions, embedScale, decoderInputIds, past, "decoder")));
        var causal = CachedAttention.Causal(past, decoderInputIds.shape[1], h.device, h.dtype);
        var memoryMask = CachedAttention.Padding(memory.Mask, h.dtype);
        for (var i = 0; i < Layers.Count; i++)
        {
            h = Layers[i].Forward(h, causal, memory.Hidden, memoryMask, pass, cache?[i]);
        }
        if (layer_norm is not null)
        {
            h = layer_norm.forward(h);
        }
        return h.MoveToOuterDisposeScope();
    }
}
