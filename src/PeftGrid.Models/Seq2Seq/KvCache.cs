using TorchSharp;
using static TorchSharp.torch;

namespace PeftGrid.Models.Seq2Seq;

/// <summary>
/// One decoder layer's cached keys and values, already split into heads: self-attention [B, H, t, d_h] growing by the decoded
/// positions, cross-attention [B, H, S, d_h] computed once from the encoder memory. Prefix keys/values are never stored here
/// (PAPER.md §1.4): the attention adapter concatenates them at every step. The tensors are owned by the cache (outside any
/// dispose scope) and released by <see cref="KvCache.Dispose"/>.
/// </summary>
public sealed class LayerKv
{
    /// <summary>Self-attention keys [B, H, t, d_h], or null before the first step.</summary>
    public Tensor? SelfKeys { get; private set; }
    /// <summary>Self-attention values [B, H, t, d_h], or null before the first step.</summary>
    public Tensor? SelfValues { get; private set; }
    /// <summary>Cross-attention keys [B, H, S, d_h], or null before the first step.</summary>
    public Tensor? CrossKeys { get; private set; }
    /// <summary>Cross-attention values [B, H, S, d_h], or null before the first step.</summary>
    public Tensor? CrossValues { get; private set; }

    /// <summary>Appends the new positions' keys/values <paramref name="k"/>, <paramref name="v"/> [B, H, T, d_h] and returns the full
    /// cached keys and values [B, H, t + T, d_h] (owned by the cache; do not dispose).</summary>
    public (Tensor Keys, Tensor Values) AppendSelf(Tensor k, Tensor v)
    {
        var keys = SelfKeys is null ? k.detach().clone() : torch.cat([SelfKeys, k], 2);
        var values = SelfValues is null ? v.detach().clone() : torch.cat([SelfValues, v], 2);
        Replace(keys, values, cross: false);
        return (SelfKeys!, SelfValues!);
    }

    /// <summary>The cross-attention keys/values, computed by <paramref name="compute"/> on the first call and kept (owned by the cache).</summary>
    public (Tensor Keys, Tensor Values) Cross(Func<(Tensor Keys, Tensor Values)> compute)
    {
        if (CrossKeys is null)
        {
            var (k, v) = compute();
            Replace(k, v, cross: true);
        }
        return (CrossKeys!, CrossValues!);
    }

    /// <summary>Keeps rows <paramref name="indices"/> [B'] of every cached tensor (beam reordering / expansion).</summary>
    public void Reorder(Tensor indices)
    {
        if (SelfKeys is not null) { Replace(SelfKeys.index_select(0, indices), SelfValues!.index_select(0, indices), cross: false); }
        if (CrossKeys is not null) { Replace(CrossKeys.index_select(0, indices), CrossValues!.index_select(0, indices), cross: true); }
    }

    /// <summary>Keeps rows <paramref name="indices"/> [B'] of the self-attention keys/values only; the cross-attention ones stay as
    /// they are. Valid when every row takes a row with the same encoder memory (beams of one input), as in beam search.</summary>
    public void ReorderSelf(Tensor indices)
    {
        if (SelfKeys is not null) { Replace(SelfKeys.index_select(0, indices), SelfValues!.index_select(0, indices), cross: false); }
    }

    private void Replace(Tensor k, Tensor v, bool cross)
    {
        k = k.DetachFromDisposeScope();
        v = v.DetachFromDisposeScope();
        if (cross)
        {
            CrossKeys?.Dispose(); CrossValues?.Dispose();
            (CrossKeys, CrossValues) = (k, v);
        }
        else
        {
            SelfKeys?.Dispose(); SelfValues?.Dispose();
            (SelfKeys, SelfValues) = (k, v);
        }
    }

    /// <summary>Releases the cached tensors.</summary>
    public void Clear()
    {
        SelfKeys?.Dispose(); SelfValues?.Dispose(); CrossKeys?.Dispose(); CrossValues?.Dispose();
        SelfKeys = SelfValues = CrossKeys = CrossValues = null;
    }
}

/// <summary>The decoder's key/value cache for incremental decoding: one <see cref="LayerKv"/> per decoder layer.</summary>
public sealed class KvCache : IDisposable
{
    private readonly LayerKv[] layers;

    /// <summary>An empty cache for <paramref name="decoderLayers"/> layers.</summary>
    public KvCache(int decoderLayers) => layers = Enumerable.Range(0, decoderLayers).Select(_ => new LayerKv()).ToArray();

    /// <summary>Layer <paramref name="layer"/>'s entry.</summary>
    public LayerKv this[int layer] => layers[layer];

    /// <summary>Decoder positions cached so far (the self-attention key length of layer 0); 0 when empty.</summary>
    public long Length => layers.Length == 0 || layers[0].SelfKeys is null ? 0 : layers[0].SelfKeys!.shape[2];

    /// <summary>Keeps rows <paramref name="indices"/> [B'] (int64) of every layer's tensors: beam search's reordering.</summary>
    public void Reorder(Tensor indices)
    {
        foreach (var l in layers) { l.Reorder(indices); }
    }

    /// <summary>Keeps rows <paramref name="indices"/> [B'] (int64) of every layer's self-attention keys/values, leaving the
    /// cross-attention ones: beam search's reordering when each row takes a beam of its own input (same encoder memory).</summary>
    public void ReorderSelf(Tensor indices)
    {
        foreach (var l in layers) { l.ReorderSelf(indices); }
    }

    /// <summary>Releases every cached tensor.</summary>
    public void Dispose()
    {
        foreach (var l in layers) { l.Clear(); }
    }
}
