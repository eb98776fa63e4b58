using PeftGrid.Tasks.Text;

namespace PeftGrid.Tasks.Seq2Seq;

/// <summary>Tokenizes seq2seq examples into <see cref="EncodedPair"/>s with the task's length limits (HF <c>Seq2SeqDataset</c>:
/// source truncated to <c>max_source_length</c>, labels to <c>max_target_length</c>, special tokens included).</summary>
public static class Seq2SeqEncoding
{
    /// <summary>Encodes every example: <c>Source = tokenizer.EncodeSource(source, maxSourceLength)</c>,
    /// <c>Labels = tokenizer.EncodeTarget(target, maxTargetLength)</c> (both truncate and keep their trailing special tokens).</summary>
    /// <param name="examples">The examples, in order; the i-th pair is the i-th example's.</param>
    /// <param name="tokenizer">The model's tokenizer.</param>
    /// <param name="maxSourceLength">Max encoder input length in tokens (paper: XSum 512, en-ro 150).</param>
    /// <param name="maxTargetLength">Max label length in tokens (paper: XSum 128 for training, en-ro 150).</param>
    /// <returns>One pair per example, same order.</returns>
    /// <exception cref="ArgumentException">A length below the tokenizer's <see cref="ISeq2SeqTokenizer.MinMaxLength"/>.</exception>
    public static IReadOnlyList<EncodedPair> Encode(IReadOnlyList<Seq2SeqExample> examples, ISeq2SeqTokenizer tokenizer,
        int maxSourceLength, int maxTargetLength)
    {
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentNullException.ThrowIfNull(tokenizer);
        CheckLength(nameof(maxSourceLength), maxSourceLength, tokenizer);
        CheckLength(nameof(maxTargetLength), maxTargetLength, tokenizer);
        var pairs = new EncodedPair[examples.Count];
        for (var i = 0; i < pairs.Length; i++)
        {
            pairs[i] = new EncodedPair(tokenizer.EncodeSource(examples[i].Source, maxSourceLength),
                tokenizer.EncodeTarget(examples[i].Target, maxTargetLength));
        }
        return pairs;
    }

    private static void CheckLength(string name, int value, ISeq2SeqTokenizer tokenizer)
    {
        if (value < tokenizer.MinMaxLength)
        {
            throw new ArgumentException(
                $"{name} must be at least {tokenizer.MinMaxLength} tokens for the {tokenizer.Kind} tokenizer (special tokens + 1) (got {value})", name);
        }
    }
}
