using PeftGrid.Models.Bert;
using PeftGrid.Peft.Seams;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace PeftGrid.Models.Bert2Bert;

/// <summary>
/// BERT embeddings of one stack of a warm-started encoder-decoder (HF keys <c>{stack}.embeddings.*</c>): word + position + token
/// type 0, LayerNorm, dropout. Positions start at a given offset (the decoder's cached length). At the optional input-embedding
/// <see cref="Site"/> (the encoder's only) an <see cref="IEmbeddingAdapter"/> may prepend l vectors before the LayerNorm, without
/// position embeddings (prompt tuning, PAPER.md §1.3). The same operations in the same order as <see cref="BertEmbeddings"/>.
/// </summary>
public sealed class Bert2BertEmbeddings : Module
{
    private readonly Embedding word_embeddings;
    private readonly Embedding position_embeddings;
    private readonly Embedding token_type_embeddings;
    private readonly LayerNorm LayerNorm;
    private readonly Dropout dropout;

    /// <summary>Creates the embeddings for <paramref name="config"/>; <paramref name="site"/> is the prompt site (null: none).</summary>
    public Bert2BertEmbeddings(EncoderConfig config, SeamSite? site) : base("embeddings")
    {
        var s = config.Shape;
        word_embeddings = nn.Embedding(s.VocabSize, s.HiddenSize);
        position_embeddings = nn.Embedding(s.MaxPositions, s.HiddenSize);
        token_type_embeddings = nn.Embedding(s.TypeVocabSize, s.HiddenSize);
        LayerNorm = nn.LayerNorm(s.HiddenSize, config.LayerNormEps);
        dropout = nn.Dropout(config.HiddenDropout);
        Site = site;
        RegisterComponents();
    }

    /// <summary>The input-embedding site (prompt tuning), or null for the decoder's embeddings.</summary>
    public SeamSite? Site { get; }

    /// <summary>The word-embedding matrix [V, d] (the decoder's is tied to the LM head).</summary>
    public Parameter WordEmbeddings => word_embeddings.weight!;

    /// <summary>Position rows (512 for MiniLM).</summary>
    public long MaxPositions => position_embeddings.weight!.shape[0];

    /// <summary>Embeds <paramref name="inputIds"/> [B, T] (int64) at positions <paramref name="start"/> … start + T − 1, token type 0
    /// → [B, l + T, d] (l = 0 unless <paramref name="pass"/> has an embedding adapter at <see cref="Site"/>).</summary>
    public Tensor Forward(Tensor inputIds, long start, AdapterPass pass)
    {
        using var scope = NewDisposeScope();
        var length = inputIds.shape[1];
        var positions = torch.arange(start, start + length, dtype: ScalarType.Int64, device: inputIds.device).unsqueeze(0);
        var types = torch.zeros_like(inputIds);
        var e = word_embeddings.forward(inputIds) + position_embeddings.forward(positions) + token_type_embeddings.forward(types);
        if (Site is not null && pass.Embedding(Site) is { } adapter)
        {
            e = adapter.Extend(e);
        }
        return dropout.forward(LayerNorm.forward(e)).MoveToOuterDisposeScope();
    }
}
