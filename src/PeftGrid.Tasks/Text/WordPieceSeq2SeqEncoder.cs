using PeftGrid.Peft.Catalog;

namespace PeftGrid.Tasks.Text;

/// <summary>
/// The tokenizer of minilm2minilm (HF <c>EncoderDecoderModel</c> warm-started from BERT, Rothe et al. 2020) over the uncased
/// <see cref="WordPieceEncoder"/>: source <c>[CLS] x [SEP]</c>, labels <c>y [SEP]</c>, decoder start <c>[CLS]</c> 101,
/// eos <c>[SEP]</c> 102, pad 0 (so the decoder input is <c>[CLS] y</c>). Decoding follows HF <c>BertTokenizer.decode</c> and is
/// lossy by design: the text comes back lower-cased, accent-stripped, with punctuation re-spaced (see <see cref="WordPieceEncoder.Decode"/>).
/// </summary>
public sealed class WordPieceSeq2SeqEncoder(WordPieceEncoder wordPiece) : ISeq2SeqTokenizer
{
    /// <summary>The vocabulary file name of an HF BERT tokenizer folder.</summary>
    public const string VocabFile = "vocab.txt";

    /// <summary>The underlying WordPiece encoder.</summary>
    public WordPieceEncoder WordPiece { get; } = wordPiece;

    /// <summary>MiniLM's bundled vocabulary (<see cref="WordPieceEncoder.MiniLm"/>).</summary>
    public static WordPieceSeq2SeqEncoder MiniLm() => new(WordPieceEncoder.MiniLm());

    /// <inheritdoc/>
    public TokenizerKind Kind => TokenizerKind.WordPieceUncased;
    /// <inheritdoc/>
    public int VocabularySize => WordPiece.VocabularySize;
    /// <inheritdoc/>
    public int PadId => WordPiece.PadId;
    /// <inheritdoc/>
    public int EosId => WordPiece.SepId;
    /// <inheritdoc/>
    public int DecoderStartId => WordPiece.ClsId;
    /// <inheritdoc/>
    public int? ForcedBosId => null;
    /// <inheritdoc/>
    public int MinMaxLength => 3;

    /// <inheritdoc/>
    public int[] EncodeSource(string text, int maxLength) =>
        Seq2SeqLayout.Frame([WordPiece.ClsId], WordPiece.Pieces(text), [WordPiece.SepId], maxLength, MinMaxLength);

    /// <inheritdoc/>
    public int[] EncodeTarget(string text, int maxLength) =>
        Seq2SeqLayout.Frame([], WordPiece.Pieces(text), [WordPiece.SepId], maxLength, MinMaxLength);

    /// <inheritdoc/>
    public int[] DecoderInput(IReadOnlyList<int> labels) => Seq2SeqLayout.ShiftRight(labels, DecoderStartId);

    /// <inheritdoc/>
    public string Decode(IEnumerable<int> ids, bool skipSpecialTokens = true) =>
        WordPiece.Decode(Seq2SeqLayout.Checked(ids, VocabularySize), skipSpecialTokens);

    /// <inheritdoc/>
    public bool IsSpecial(int id) => WordPiece.IsSpecial(id);
}
