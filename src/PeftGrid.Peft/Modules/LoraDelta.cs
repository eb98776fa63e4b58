using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace PeftGrid.Peft.Modules;

/// <summary>
/// LoRA's low-rank update of a frozen linear map: Δy = s·(Dropout(x) Aᵀ Bᵀ), A = <c>lora_A.weight</c> [r, in]
/// Kaiming-uniform(a = √5), B = <c>lora_B.weight</c> [out, r] zeros, s = alpha / r (Hu et al. 2021; PAPER.md §1.6, Eq. 6;
/// HF peft key names). Input [..., in] → [..., out].
/// </summary>
public sealed class LoraDelta : Module<Tensor, Tensor>
{
    private readonly Linear lora_A;
    private readonly Linear lora_B;
    private readonly Dropout lora_dropout;

    /// <summary>The scaling s = alpha / r.</summary>
    public double Scale { get; }

    /// <summary>Creates the update for a map of <paramref name="inFeatures"/> → <paramref name="outFeatures"/>.</summary>
    public LoraDelta(string name, int inFeatures, int outFeatures, int r, double alpha, double dropout) : base(name)
    {
        lora_A = nn.Linear(inFeatures, r, hasBias: false);
        lora_B = nn.Linear(r, outFeatures, hasBias: false);
        lora_dropout = nn.Dropout(dropout);
        Scale = alpha / r;
        using (torch.no_grad())
        {
            nn.init.kaiming_uniform_(lora_A.weight!, a: Math.Sqrt(5));
            nn.init.zeros_(lora_B.weight!);
        }
        RegisterComponents();
    }

    /// <summary>Δy for input <paramref name="x"/> [..., in].</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return (lora_B.forward(lora_A.forward(lora_dropout.forward(x))) * Scale).MoveToOuterDisposeScope();
    }

    /// <summary>The dense update s·B·A [out, in], to merge into the frozen weight.</summary>
    public Tensor DeltaWeight() => torch.matmul(lora_B.weight!, lora_A.weight!) * Scale;
}
