using PeftGrid.Peft.Seams;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace PeftGrid.Peft.Tuners.Lora;

/// <summary>
/// LoRA at one projection site: y = x Wᵀ + b + s·(Dropout(x) Aᵀ Bᵀ) with the frozen W, b handed in by the backbone;
/// A = <c>lora_A.weight</c> [r, in] Kaiming-uniform(a = √5), B = <c>lora_B.weight</c> [out, r] zeros, s = alpha / r
/// (Hu et al. 2021; PAPER.md §1.6, Eq. 6; HF peft key names). Input [..., in] → [..., out]. Merging keeps its own copy
/// W + s·B·A and never writes W, so a shared backbone stays untouched.
/// </summary>
public sealed class LoraLinear : Module<Tensor, Tensor>, ILinearAdapter, IMergeable
{
    private readonly Linear lora_A;
    private readonly Linear lora_B;
    private readonly Dropout lora_dropout;
    private MergedWeight? merged;   // not a Tensor field: TorchSharp would treat one as a buffer

    private sealed record MergedWeight(Tensor Weight, IntPtr From);

    /// <summary>The scaling s = alpha / r.</summary>
    public double Scale { get; }

    /// <summary>Creates the update for a map of <paramref name="inFeatures"/> → <paramref name="outFeatures"/>.</summary>
    public LoraLinear(string name, int inFeatures, int outFeatures, LoraOptions options) : base(name)
    {
        lora_A = nn.Linear(inFeatures, options.Rank, hasBias: false);
        lora_B = nn.Linear(options.Rank, outFeatures, hasBias: false);
        lora_dropout = nn.Dropout(options.Dropout);
        Scale = options.Scale;
        using (torch.no_grad())
        {
            nn.init.kaiming_uniform_(lora_A.weight!, a: Math.Sqrt(5));
            nn.init.zeros_(lora_B.weight!);
        }
        RegisterComponents();
    }

    /// <summary>Δy = s·(Dropout(x) Aᵀ Bᵀ) for input <paramref name="x"/> [..., in].</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return (lora_B.forward(lora_A.forward(lora_dropout.forward(x))) * Scale).MoveToOuterDisposeScope();
    }

    /// <summary>x Wᵀ + b + Δy, or x (W + s·B·A)ᵀ + b when merged.</summary>
    /// <exception cref="InvalidOperationException">Merged against another weight (another backbone or device); unmerge first.</exception>
    public Tensor Forward(Tensor x, Tensor weight, Tensor bias)
    {
        if (merged is not null)
        {
            return weight.Handle == merged.From ? nn.functional.linear(x, merged.Weight, bias)
                : throw new InvalidOperationException($"{GetName()}: merged against another weight; call Unmerge before using it with another backbone or device");
        }
        var y = nn.functional.linear(x, weight, bias);
        using var delta = forward(x);
        var sum = y + delta;
        y.Dispose();
        return sum;
    }

    /// <summary>The dense update s·B·A [out, in].</summary>
    public Tensor DeltaWeight() => torch.matmul(lora_B.weight!, lora_A.weight!) * Scale;

    /// <inheritdoc />
    public bool IsMerged => merged is not null;

    /// <inheritdoc />
    public void Merge(Tensor baseWeight)
    {
        Unmerge();
        using (torch.no_grad())
        using (var dw = DeltaWeight())
        {
            merged = new MergedWeight((baseWeight + dw).DetachFromDisposeScope(), baseWeight.Handle);
        }
    }

    /// <inheritdoc />
    public void Unmerge()
    {
        merged?.Weight.Dispose();
        merged = null;
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing) { Unmerge(); }
        base.Dispose(disposing);
    }
}
