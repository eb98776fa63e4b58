using PeftGrid.Tasks.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace PeftGrid.Tasks.Seq2Seq;

/// <summary>
/// A padded teacher-forcing batch on the host (row-major int64 arrays). Encoder side [B, S], S = the longest source in the
/// batch: input ids padded with the tokenizer's pad id, attention mask 1 real / 0 pad. Decoder side [B, T], T = the longest
/// label sequence: decoder input ids = <see cref="ISeq2SeqTokenizer.DecoderInput"/> of the labels padded with the pad id, and
/// labels padded with <see cref="IgnoreIndex"/> (-100, ignored by the loss as in HF / PyTorch <c>ignore_index</c>).
/// </summary>
public sealed class Seq2SeqBatch
{
    /// <summary>The label value of padding positions: the loss ignores them (PyTorch <c>CrossEntropyLoss(ignore_index=-100)</c>).</summary>
    public const long IgnoreIndex = -100;

    /// <summary>Indices of the batch's examples in the batcher's pair list, in row order.</summary>
    public int[] Indices { get; }
    /// <summary>Examples in the batch (B).</summary>
    public int Size { get; }
    /// <summary>Padded source length (S) = the longest encoder input in the batch.</summary>
    public int SourceLength { get; }
    /// <summary>Padded target length (T) = the longest label sequence in the batch.</summary>
    public int TargetLength { get; }
    /// <summary>Encoder input ids [B·S], padding = the pad id.</summary>
    public long[] InputIds { get; }
    /// <summary>Encoder attention mask [B·S]: 1 real token, 0 padding.</summary>
    public long[] AttentionMask { get; }
    /// <summary>Decoder input ids [B·T] (shifted labels, HF <c>shift_tokens_right</c>), padding = the pad id.</summary>
    public long[] DecoderInputIds { get; }
    /// <summary>Labels [B·T], padding = <see cref="IgnoreIndex"/>.</summary>
    public long[] Labels { get; }
    /// <summary>Real (non-padding) encoder tokens: Σ source lengths.</summary>
    public long SourceTokens { get; }
    /// <summary>Real label tokens: Σ label lengths (the tokens the loss is averaged over).</summary>
    public long TargetTokens { get; }
    /// <summary>Token slots processed, padding included: B·S + B·T.</summary>
    public long PaddedTokens => (long)Size * (SourceLength + TargetLength);
    /// <summary>Padding slots: <see cref="PaddedTokens"/> − <see cref="SourceTokens"/> − <see cref="TargetTokens"/>.</summary>
    public long PaddingTokens => PaddedTokens - SourceTokens - TargetTokens;

    /// <summary>Pads the pairs at <paramref name="indices"/> of <paramref name="pairs"/>.</summary>
    /// <param name="pairs">All encoded pairs.</param>
    /// <param name="indices">The batch's example indices (at least one, each in range).</param>
    /// <param name="tokenizer">Gives the pad id and the decoder input of the labels.</param>
    /// <exception cref="ArgumentException">No indices, an index out of range, or a pair with an empty source or labels.</exception>
    public Seq2SeqBatch(IReadOnlyList<EncodedPair> pairs, int[] indices, ISeq2SeqTokenizer tokenizer)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        ArgumentNullException.ThrowIfNull(indices);
        ArgumentNullException.ThrowIfNull(tokenizer);
        if (indices.Length == 0) throw new ArgumentException("a batch needs at least one example index", nameof(indices));
        foreach (var i in indices)
        {
            if ((uint)i >= (uint)pairs.Count) throw new ArgumentException($"example index {i} is outside [0, {pairs.Count})", nameof(indices));
            if (pairs[i].Source.Length == 0 || pairs[i].Labels.Length == 0)
            {
                throw new ArgumentException($"example {i} has an empty source or empty labels; an encoded pair holds at least one token in each", nameof(pairs));
            }
        }
        Indices = (int[])indices.Clone();
        Size = indices.Length;
        SourceLength = indices.Max(i => pairs[i].Source.Length);
        TargetLength = indices.Max(i => pairs[i].Labels.Length);
        InputIds = new long[Size * SourceLength];
        AttentionMask = new long[Size * SourceLength];
        DecoderInputIds = new long[Size * TargetLength];
        Labels = new long[Size * TargetLength];
        Array.Fill(InputIds, tokenizer.PadId);
        Array.Fill(DecoderInputIds, tokenizer.PadId);
        Array.Fill(Labels, IgnoreIndex);
        for (var b = 0; b < Size; b++)
        {
            var pair = pairs[indices[b]];
            for (var s = 0; s < pair.Source.Length; s++)
            {
                InputIds[b * SourceLength + s] = pair.Source[s];
                AttentionMask[b * SourceLength + s] = 1;
            }
            var decoderInput = tokenizer.DecoderInput(pair.Labels);
            for (var t = 0; t < pair.Labels.Length; t++)
            {
                DecoderInputIds[b * TargetLength + t] = decoderInput[t];
                Labels[b * TargetLength + t] = pair.Labels[t];
            }
            SourceTokens += pair.Source.Length;
            TargetTokens += pair.Labels.Length;
        }
    }

    /// <summary>The batch as int64 tensors on <paramref name="device"/>: input ids and attention mask [B, S], decoder input ids
    /// and labels [B, T]. The caller owns (or scopes) them.</summary>
    public (Tensor InputIds, Tensor AttentionMask, Tensor DecoderInputIds, Tensor Labels) ToTensors(Device device)
    {
        long[] source = [Size, SourceLength], target = [Size, TargetLength];
        return (torch.tensor(InputIds, source, ScalarType.Int64, device),
                torch.tensor(AttentionMask, source, ScalarType.Int64, device),
                torch.tensor(DecoderInputIds, target, ScalarType.Int64, device),
                torch.tensor(Labels, target, ScalarType.Int64, device));
    }
}
