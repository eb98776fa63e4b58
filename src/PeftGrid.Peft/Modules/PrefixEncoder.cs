using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace PeftGrid.Peft.Modules;

/// <summary>
/// Produces the prefix keys and values of every layer, [L, 2, l, d] (index 0 = P_k, 1 = P_v).
/// With an MLP (prefix tuning's reparametrization, PAPER.md §1.4): Embedding(l, d) on arange(l) → Linear(d, mid) → tanh →
/// Linear(mid, 2·L·d), PyTorch default init. Without: a Parameter [L, 2, l, d] initialised N(0, 0.02) (<c>prefix_nomlp</c>).
/// </summary>
public sealed class PrefixEncoder : Module
{
    private readonly int length, layers, hidden;
    private readonly Embedding? wte;
    private readonly Linear? control_trans_0;
    private readonly Linear? control_trans_2;
    private readonly Parameter? prefix;

    /// <summary>Prefix length l.</summary>
    public int Length => length;

    /// <summary>Creates the encoder for l prefix vectors over L layers of width d.</summary>
    /// <param name="name">Module name.</param>
    /// <param name="l">Prefix length.</param>
    /// <param name="numLayers">L.</param>
    /// <param name="d">Hidden size.</param>
    /// <param name="midDim">MLP hidden size (800 in the paper) or null for direct parameters.</param>
    public PrefixEncoder(string name, int l, int numLayers, int d, int? midDim) : base(name)
    {
        length = l; layers = numLayers; hidden = d;
        if (midDim is { } mid)
        {
            wte = nn.Embedding(l, d);
            control_trans_0 = nn.Linear(d, mid);
            control_trans_2 = nn.Linear(mid, 2L * numLayers * d);
        }
        else
        {
            prefix = nn.Parameter(torch.empty(numLayers, 2, l, d));
            using (torch.no_grad())
            {
                nn.init.normal_(prefix, 0, 0.02);
            }
        }
        RegisterComponents();
    }

    /// <summary>The prefixes: [L, 2, l, d].</summary>
    public Tensor Compute()
    {
        if (prefix is not null)
        {
            return prefix.alias();
        }
        using var scope = NewDisposeScope();
        using var ids = torch.arange(length, dtype: ScalarType.Int64, device: wte!.weight!.device);
        var h = control_trans_2!.forward(torch.tanh(control_trans_0!.forward(wte.forward(ids)))); // [l, 2·L·d]
        return h.view(length, layers, 2, hidden).permute(1, 2, 0, 3).contiguous().MoveToOuterDisposeScope();
    }
}

/// <summary>Prompt tuning's l trainable input embeddings [l, d], initialised N(0, 0.02) (PAPER.md §1.3, <c>ef_prefix_emb</c>).</summary>
public sealed class PromptEmbedding : Module
{
    private readonly Parameter prompt_embeddings;

    /// <summary>Creates l prompt vectors of width d.</summary>
    public PromptEmbedding(string name, int l, int d) : base(name)
    {
        prompt_embeddings = nn.Parameter(torch.empty(l, d));
        using (torch.no_grad())
        {
            nn.init.normal_(prompt_embeddings, 0, 0.02);
        }
        RegisterComponents();
    }

    /// <summary>The prompt vectors [l, d].</summary>
    public Tensor Compute() => prompt_embeddings.alias();
}
