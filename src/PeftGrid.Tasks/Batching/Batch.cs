using PeftGrid.Tasks.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace PeftGrid.Tasks.Batching;

/// <summary>
/// A padded batch on the host: B sequences padded to T = the longest sequence in the batch (dynamic
/// padding). Row-major arrays of B·T; the attention mask is 1 for tokens and 0 for padding.
/// </summary>
public sealed class Batch
{
    /// <summary>Sequences in the batch (B).</summary>
    public int Size { get; }
    /// <summary>Padded length (T) = the longest sequence in the batch.</summary>
    public int Length { get; }
    /// <summary>Token ids [B·T], padding = the pad id.</summary>
    public long[] InputIds { get; }
    /// <summary>Segment ids [B·T], padding = 0.</summary>
    public long[] TokenTypeIds { get; }
    /// <summary>Attention mask [B·T]: 1 token, 0 padding.</summary>
    public long[] AttentionMask { get; }
    /// <summary>Label ids [B].</summary>
    public long[] Labels { get; }
    /// <summary>Number of real (non-padding) tokens.</summary>
    public long TokenCount { get; }

    /// <summary>Pads <paramref name="examples"/> to their longest length.</summary>
    /// <exception cref="ArgumentException">No examples.</exception>
    public Batch(IReadOnlyList<EncodedExample> examples, int padId)
    {
        if (examples.Count == 0) throw new ArgumentException("a batch needs at least one example", nameof(examples));
        Size = examples.Count;
        Length = examples.Max(e => e.Length);
        InputIds = new long[Size * Length];
        TokenTypeIds = new long[Size * Length];
        AttentionMask = new long[Size * Length];
        Labels = new long[Size];
        Array.Fill(InputIds, padId);
        for (var b = 0; b < Size; b++)
        {
            var e = examples[b];
            for (var t = 0; t < e.Length; t++)
            {
                InputIds[b * Length + t] = e.InputIds[t];
                TokenTypeIds[b * Length + t] = e.TokenTypeIds[t];
                AttentionMask[b * Length + t] = 1;
            }
            Labels[b] = e.Label;
            TokenCount += e.Length;
        }
    }

    /// <summary>The batch as int64 tensors on <paramref name="device"/>: input ids, token type ids and
    /// attention mask [B, T], labels [B]. The caller owns (or scopes) them.</summary>
    public (Tensor InputIds, Tensor TokenTypeIds, Tensor AttentionMask, Tensor Labels) ToTensors(Device device)
    {
        long[] shape = [Size, Length];
        return (torch.tensor(InputIds, shape, ScalarType.Int64, device),
                torch.tensor(TokenTypeIds, shape, ScalarType.Int64, device),
                torch.tensor(AttentionMask, shape, ScalarType.Int64, device),
                torch.tensor(Labels, [Size], ScalarType.Int64, device));
    }
}
