namespace PeftGrid.Tasks.Seq2Seq;

/// <summary>One row of a seq2seq split file.</summary>
/// <param name="Id">XSum's <c>id</c>; for rows without an id field, the 1-based line number as text.</param>
/// <param name="Source">Source text (XSum <c>document</c>, en-ro <c>translation.en</c>), as in the file.</param>
/// <param name="Target">Target text (XSum <c>summary</c>, en-ro <c>translation.ro</c>), as in the file.</param>
/// <param name="Line">1-based line of the row in its file.</param>
public sealed record Seq2SeqExample(string Id, string Source, string Target, int Line);

/// <summary>The rows read from one split file and the rows left out, each as <c>file:line: reason</c>.</summary>
/// <param name="Examples">Good rows in file order.</param>
/// <param name="Dropped">Every row left out (not JSON, a missing field, empty text), in file order.</param>
public sealed record Seq2SeqSplit(IReadOnlyList<Seq2SeqExample> Examples, IReadOnlyList<string> Dropped);

/// <summary>A tokenized pair: encoder input ids (special tokens included) and the labels (target ids + eos, unpadded).</summary>
/// <param name="Source">Encoder input ids.</param>
/// <param name="Labels">Label ids; the decoder input is the tokenizer's <c>DecoderInput(Labels)</c>.</param>
public sealed record EncodedPair(int[] Source, int[] Labels);
