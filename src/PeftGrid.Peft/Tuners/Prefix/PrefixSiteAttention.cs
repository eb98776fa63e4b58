using PeftGrid.Peft.Seams;
using static TorchSharp.torch;

namespace PeftGrid.Peft.Tuners.Prefix;

/// <summary>
/// The prefix at one attention site: slice <paramref name="index"/> of the shared <see cref="PrefixEncoder"/>'s output (computed
/// once per forward pass), split into heads and used as <paramref name="use"/> by <see cref="PrefixAttention.Attend"/>.
/// Not a module: the encoder owns the parameters.
/// </summary>
/// <param name="encoder">The encoder producing [N, 2, l, d] for all prefix sites.</param>
/// <param name="index">This site's index in [0, N).</param>
/// <param name="use">How attention uses the prefix.</param>
public sealed class PrefixSiteAttention(PrefixEncoder encoder, int index, PrefixUse use) : IAttentionAdapter
{
    /// <inheritdoc />
    public Tensor Attend(Tensor q, Tensor k, Tensor v, Tensor mask, AttentionDropout dropout, AdapterPass pass)
    {
        using var scope = NewDisposeScope();
        var (heads, headDim) = (q.shape[1], q.shape[3]);
        var prefix = pass.Memo(encoder, encoder.Compute)[index];   // [2, l, d]
        var l = prefix.shape[1];
        var pk = prefix[0].view(l, heads, headDim).transpose(0, 1);   // [H, l, d_h]
        var pv = prefix[1].view(l, heads, headDim).transpose(0, 1);
        return PrefixAttention.Attend(q, k, v, mask, pk, pv, use, dropout).MoveToOuterDisposeScope();
    }
}
