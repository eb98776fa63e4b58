using PeftGrid.Peft.Seams;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace PeftGrid.Peft.Tuners.Prompt;

/// <summary>
/// Prompt tuning's l trainable input embeddings [l, d] (<c>prompt_embeddings</c>), initialised N(0, 0.02), prepended to the
/// summed input embeddings before their LayerNorm, without position embeddings (PAPER.md §1.3, <c>ef_prefix_emb</c>).
/// </summary>
public sealed class PromptEmbedding : Module, IEmbeddingAdapter
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

    /// <summary>[P; e]: the prompt vectors [l, d], one copy per row, before <paramref name="embeddings"/> [B, T, d] → [B, l + T, d].</summary>
    public Tensor Extend(Tensor embeddings)
    {
        using var scope = NewDisposeScope();
        var p = prompt_embeddings.alias().unsqueeze(0).expand(embeddings.shape[0], -1, -1);
        return torch.cat([p, embeddings], 1).MoveToOuterDisposeScope();
    }
}
