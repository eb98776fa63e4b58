using PeftGrid.Peft.Catalog;

namespace PeftGrid.Tasks.Text;

/// <summary>
/// The tokenizer of an encoder-decoder, as the seq2seq trainer, <c>peftgrid generate</c> and the benchmark use it.
/// Every implementation mirrors the Hugging Face tokenizer of its model family id for id:
/// <list type="table">
/// <item><term><see cref="ByteLevelBpeEncoder"/> (BART)</term><description>source and labels <c>&lt;s&gt; x &lt;/s&gt;</c>
/// (bos 0, pad 1, eos 2); decoder start <c>&lt;/s&gt;</c> 2, forced BOS 0; lossless decode.</description></item>
/// <item><term><see cref="MBartSentencePieceEncoder"/> (mBART)</term><description>source <c>x &lt;/s&gt; src_lang</c>, labels
/// <c>y &lt;/s&gt; tgt_lang</c>; decoder start = the target language code; no forced BOS.</description></item>
/// <item><term><see cref="WordPieceSeq2SeqEncoder"/> (minilm2minilm)</term><description>source <c>[CLS] x [SEP]</c>, labels
/// <c>y [SEP]</c>; decoder start <c>[CLS]</c> 101, eos <c>[SEP]</c> 102, pad 0; lossy decode (uncased).</description></item>
/// </list>
/// Teacher forcing: the decoder input is <see cref="DecoderInput"/> of the labels (HF <c>shift_tokens_right</c>); the loss
/// compares the logits at position t with <c>labels[t]</c>; padded label positions are ignored by the trainer.
/// Every encode truncates the text's tokens, never the special tokens, to <c>maxLength</c> in total (HF <c>truncation=True</c>).
/// Instances are immutable and thread-safe.
/// </summary>
public interface ISeq2SeqTokenizer
{
    /// <summary>The catalog's tokenizer kind this implements.</summary>
    TokenizerKind Kind { get; }

    /// <summary>Number of ids (every id is in [0, VocabularySize)): the model's <c>vocab_size</c> (50,265 for BART,
    /// SentencePiece size + 27 for mBART, 30,522 for MiniLM).</summary>
    int VocabularySize { get; }

    /// <summary>Padding id (BART 1, mBART 1, WordPiece 0): pads encoder inputs (mask 0) and decoder inputs.</summary>
    int PadId { get; }

    /// <summary>End-of-sequence id: generation stops when a sequence emits it (BART/mBART <c>&lt;/s&gt;</c> 2, WordPiece <c>[SEP]</c> 102).</summary>
    int EosId { get; }

    /// <summary>The first decoder input (HF <c>decoder_start_token_id</c>): BART 2, mBART the target language code, WordPiece 101.</summary>
    int DecoderStartId { get; }

    /// <summary>The token forced as the first generated token (HF <c>forced_bos_token_id</c>): BART 0 (<c>&lt;s&gt;</c>); null otherwise.</summary>
    int? ForcedBosId { get; }

    /// <summary>The smallest <c>maxLength</c> the encode methods accept: the special tokens of the longer layout plus one text token.</summary>
    int MinMaxLength { get; }

    /// <summary>Encoder input ids of <paramref name="text"/>, special tokens included, unpadded.</summary>
    /// <param name="text">The source text.</param>
    /// <param name="maxLength">Maximum length in tokens, special tokens included; ≥ <see cref="MinMaxLength"/>.</param>
    /// <returns>At most <paramref name="maxLength"/> ids, ending with the layout's trailing special tokens.</returns>
    /// <exception cref="ArgumentException"><paramref name="maxLength"/> below <see cref="MinMaxLength"/>.</exception>
    int[] EncodeSource(string text, int maxLength);

    /// <summary>The labels of a target text: tokens + eos (+ mBART's target language code; BART also starts with <c>&lt;s&gt;</c>).</summary>
    /// <param name="text">The target text.</param>
    /// <param name="maxLength">Maximum length in tokens, special tokens included; ≥ <see cref="MinMaxLength"/>.</param>
    /// <returns>At most <paramref name="maxLength"/> ids, unpadded.</returns>
    /// <exception cref="ArgumentException"><paramref name="maxLength"/> below <see cref="MinMaxLength"/>.</exception>
    int[] EncodeTarget(string text, int maxLength);

    /// <summary>The teacher-forced decoder input of <paramref name="labels"/>: <c>[DecoderStartId] + labels[..^1]</c>, same length
    /// (HF <c>shift_tokens_right</c>; for mBART this equals its wrap-around of the language code).</summary>
    /// <exception cref="ArgumentException"><paramref name="labels"/> is empty.</exception>
    int[] DecoderInput(IReadOnlyList<int> labels);

    /// <summary>Text of <paramref name="ids"/> (HF <c>decode</c>).</summary>
    /// <param name="ids">Token ids, e.g. a generated sequence (its decoder start and eos included).</param>
    /// <param name="skipSpecialTokens">Drop special tokens (pad, bos, eos, unk, mask, language codes) as HF <c>skip_special_tokens=True</c>.</param>
    /// <exception cref="ArgumentException">An id outside [0, <see cref="VocabularySize"/>).</exception>
    string Decode(IEnumerable<int> ids, bool skipSpecialTokens = true);

    /// <summary>True for the ids <see cref="Decode"/> skips (HF <c>all_special_ids</c>).</summary>
    bool IsSpecial(int id);
}
