namespace PeftGrid.Tasks.Text;

/// <summary>A tokenized example: <c>[CLS] a [SEP]</c> or <c>[CLS] a [SEP] b [SEP]</c>, unpadded.</summary>
/// <param name="InputIds">WordPiece ids, length ≤ the max length.</param>
/// <param name="TokenTypeIds">Segment ids (0 for <c>[CLS] a [SEP]</c>, 1 for <c>b [SEP]</c>), same length as <paramref name="InputIds"/>.</param>
/// <param name="Label">Label id.</param>
public sealed record EncodedExample(int[] InputIds, int[] TokenTypeIds, int Label)
{
    /// <summary>Number of tokens (special tokens included).</summary>
    public int Length => InputIds.Length;
}
