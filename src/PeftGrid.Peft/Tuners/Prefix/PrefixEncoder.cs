using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace PeftGrid.Peft.Tuners.Prefix;

/// <summary>
/// Produces the prefix keys and values of N attention sites at once, [N, 2, l, d] (index 0 = P_k, 1 = P_v; N = L for a
/// BERT encoder, one per self-attention). With an MLP (prefix tuning's reparametrization, PAPER.md §1.4): Embedding(l, d) on
/// arange(l) → Linear(d, mid) → tanh → Linear(mid, 2·N·d), PyTorch default init. Without: a Parameter [N, 2, l, d] initialised
/// N(0, 0.02) (<c>prefix_nomlp</c>). Parameter names: <c>wte.weight</c>, <c>control_trans_0.*</c>, <c>control_trans_2.*</c>, or <c>prefix</c>.
/// </summary>
public sealed class PrefixEncoder : Module
{
    private readonly int length, sites, hidden;
    private readonly Embedding? wte;
    private readonly Linear? control_trans_0;
    private readonly Linear? control_trans_2;
    private readonly Parameter? prefix;

    /// <summary>Creates the encoder for l prefix vectors at N attention sites of width d.</summary>
    /// <param name="name">Module name.</param>
    /// <param name="l">Prefix length.</param>
    /// <param name="numSites">N, the number of attention sites (L for a BERT encoder).</param>
    /// <param name="d">Hidden size.</param>
    /// <param name="midDim">MLP hidden size (800 in the paper) or null for direct parameters.</param>
    public PrefixEncoder(string name, int l, int numSites, int d, int? midDim) : base(name)
    {
        length = l; sites = numSites; hidden = d;
        if (midDim is { } mid)
        {
            wte = nn.Embedding(l, d);
            control_trans_0 = nn.Linear(d, mid);
            control_trans_2 = nn.Linear(mid, 2L * numSites * d);
        }
        else
        {
            prefix = nn.Parameter(torch.empty(numSites, 2, l, d));
            using (torch.no_grad())
            {
                nn.init.normal_(prefix, 0, 0.02);
            }
        }
        RegisterComponents();
    }

    /// <summary>The prefixes: [N, 2, l, d].</summary>
    public Tensor Compute()
    {
        if (prefix is not null)
        {
            return prefix.alias();
        }
        using var scope = NewDisposeScope();
        using var ids = torch.arange(length, dtype: ScalarType.Int64, device: wte!.weight!.device);
        var h = control_trans_2!.forward(torch.tanh(control_trans_0!.forward(wte.forward(ids)))); // [l, 2·N·d]
        return h.view(length, sites, 2, hidden).permute(1, 2, 0, 3).contiguous().MoveToOuterDisposeScope();
    }
}
