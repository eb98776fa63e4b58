using PeftGrid.Peft.Seams;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace PeftGrid.Models.Bert;

/// <summary>
/// BERT embeddings: word + position + token type, LayerNorm, dropout (HF keys <c>embeddings.*</c>). With a prompt attached
/// (<see cref="EncoderSeams.Prompt"/>), the l prompt vectors are prepended to the summed embeddings before the LayerNorm,
/// without position embeddings (PAPER.md §1.3). Input ids [B, T] → [B, l + T, d].
/// </summary>
public sealed class BertEmbeddings : Module<Tensor, Tensor, Tensor>
{
    private readonly Embedding word_embeddings;
    private readonly Embedding position_embeddings;
    private readonly Embedding token_type_embeddings;
    private readonly LayerNorm LayerNorm;
    private readonly Dropout dropout;
    private readonly EncoderSeams seams;
    private readonly int positionOffset;

    /// <summary>Creates the embeddings for <paramref name="config"/>, consulting <paramref name="seams"/> for a prompt.</summary>
    public BertEmbeddings(EncoderConfig config, EncoderSeams seams) : base("embeddings")
    {
        var s = config.Shape;
        word_embeddings = nn.Embedding(s.VocabSize, s.HiddenSize);
        position_embeddings = nn.Embedding(s.MaxPositions, s.HiddenSize);
        token_type_embeddings = nn.Embedding(s.TypeVocabSize, s.HiddenSize);
        LayerNorm = nn.LayerNorm(s.HiddenSize, config.LayerNormEps);
        dropout = nn.Dropout(config.HiddenDropout);
        this.seams = seams;
        positionOffset = config.PositionOffset;
        RegisterComponents();
    }

    /// <summary>Embeds <paramref name="inputIds"/> [B, T] with segment ids <paramref name="tokenTypeIds"/> [B, T] → [B, l + T, d].</summary>
    public override Tensor forward(Tensor inputIds, Tensor tokenTypeIds)
    {
        using var scope = NewDisposeScope();
        var length = inputIds.shape[1];
        var positions = torch.arange(positionOffset, positionOffset + length, dtype: ScalarType.Int64, device: inputIds.device).unsqueeze(0);
        var e = word_embeddings.forward(inputIds) + position_embeddings.forward(positions) + token_type_embeddings.forward(tokenTypeIds);
        if (seams.Prompt is { } prompt)
        {
            var p = prompt.Compute().unsqueeze(0).expand(e.shape[0], -1, -1);
            e = torch.cat([p, e], 1);
        }
        return dropout.forward(LayerNorm.forward(e)).MoveToOuterDisposeScope();
    }
}
