using PeftGrid.Peft.Seams;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace PeftGrid.Models.Bert;

/// <summary>
/// BERT embeddings: word + position + token type, LayerNorm, dropout (HF keys <c>embeddings.*</c>). At the
/// <see cref="SeamPosition.InputEmbeddings"/> site an <see cref="IEmbeddingAdapter"/> may prepend l vectors to the summed
/// embeddings before the LayerNorm, without position embeddings (prompt tuning, PAPER.md §1.3). Input ids [B, T] → [B, l + T, d].
/// </summary>
public sealed class BertEmbeddings : Module
{
    private readonly Embedding word_embeddings;
    private readonly Embedding position_embeddings;
    private readonly Embedding token_type_embeddings;
    private readonly LayerNorm LayerNorm;
    private readonly Dropout dropout;
    private readonly int positionOffset;

    /// <summary>Creates the embeddings for <paramref name="config"/>.</summary>
    public BertEmbeddings(EncoderConfig config) : base("embeddings")
    {
        var s = config.Shape;
        word_embeddings = nn.Embedding(s.VocabSize, s.HiddenSize);
        position_embeddings = nn.Embedding(s.MaxPositions, s.HiddenSize);
        token_type_embeddings = nn.Embedding(s.TypeVocabSize, s.HiddenSize);
        LayerNorm = nn.LayerNorm(s.HiddenSize, config.LayerNormEps);
        dropout = nn.Dropout(config.HiddenDropout);
        positionOffset = config.PositionOffset;
        RegisterComponents();
    }

    /// <summary>Embeds <paramref name="inputIds"/> [B, T] with segment ids <paramref name="tokenTypeIds"/> [B, T] → [B, l + T, d]
    /// (l = 0 unless <paramref name="pass"/> has an embedding adapter).</summary>
    public Tensor Forward(Tensor inputIds, Tensor tokenTypeIds, AdapterPass pass)
    {
        using var scope = NewDisposeScope();
        var length = inputIds.shape[1];
        var positions = torch.arange(positionOffset, positionOffset + length, dtype: ScalarType.Int64, device: inputIds.device).unsqueeze(0);
        var e = word_embeddings.forward(inputIds) + position_embeddings.forward(positions) + token_type_embeddings.forward(tokenTypeIds);
        if (pass.Embedding(BertLayerSites.Embeddings) is { } adapter)
        {
            e = adapter.Extend(e);
        }
        return dropout.forward(LayerNorm.forward(e)).MoveToOuterDisposeScope();
    }
}
