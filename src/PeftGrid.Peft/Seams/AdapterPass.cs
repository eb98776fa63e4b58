using PeftGrid.Peft.Adapters;
using static TorchSharp.torch;

namespace PeftGrid.Peft.Seams;

/// <summary>
/// An adapter set bound to one forward pass of a backbone: what the backbone consults at each of its sites. With no set (or an
/// empty one) every lookup is empty and the backbone computes the plain pretrained model. Values a module computes once per
/// pass for many sites (the prefix MLP's output for every layer) are kept by <see cref="Memo"/> and released on
/// <see cref="Dispose"/>. Create one per forward with <c>using var pass = AdapterPass.Begin(adapters);</c>.
/// </summary>
public sealed class AdapterPass : IDisposable
{
    private readonly AdapterSet? set;
    private Dictionary<object, Tensor>? memo;

    private AdapterPass(AdapterSet? set) => this.set = set;

    /// <summary>Starts a pass over <paramref name="adapters"/> (null = the plain backbone).</summary>
    public static AdapterPass Begin(AdapterSet? adapters) => new(adapters);

    /// <summary>The module at a hidden-state <paramref name="site"/>, if any.</summary>
    public IHiddenStateAdapter? HiddenState(SeamSite site) => set?.At<IHiddenStateAdapter>(site);

    /// <summary>The module at a projection <paramref name="site"/>, if any (pass it to <see cref="SeamLinear.Forward"/>).</summary>
    public ILinearAdapter? Linear(SeamSite site) => set?.At<ILinearAdapter>(site);

    /// <summary>The module at a <see cref="SeamPosition.PrefixKeysValues"/> <paramref name="site"/>, if any.</summary>
    public IAttentionAdapter? Attention(SeamSite site) => set?.At<IAttentionAdapter>(site);

    /// <summary>The module at an <see cref="SeamPosition.InputEmbeddings"/> <paramref name="site"/>, if any.</summary>
    public IEmbeddingAdapter? Embedding(SeamSite site) => set?.At<IEmbeddingAdapter>(site);

    /// <summary>h, or h + Δh(x, h) when a module is attached at <paramref name="site"/>. x, h: [B, T, d].</summary>
    public Tensor Compose(SeamSite site, Tensor x, Tensor h) => HiddenState(site) is { } adapter ? h + adapter.Delta(x, h) : h;

    /// <summary>
    /// The value of <paramref name="compute"/> for <paramref name="owner"/>, computed on the first call of this pass and kept
    /// (outside any dispose scope) until the pass ends. Its autograd graph stays valid after the pass.
    /// </summary>
    public Tensor Memo(object owner, Func<Tensor> compute)
    {
        memo ??= [];
        if (!memo.TryGetValue(owner, out var value))
        {
            value = compute().DetachFromDisposeScope();
            memo[owner] = value;
        }
        return value;
    }

    /// <summary>Releases the memoized tensors.</summary>
    public void Dispose()
    {
        if (memo is null) { return; }
        foreach (var t in memo.Values) { t.Dispose(); }
        memo = null;
    }
}
