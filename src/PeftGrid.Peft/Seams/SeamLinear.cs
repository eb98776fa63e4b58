using TorchSharp;
using TorchSharp.Modules;
using PeftGrid.Peft.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace PeftGrid.Peft.Seams;

/// <summary>
/// The backbone's linear projection y = x Wᵀ + b (HF keys <c>weight</c> [out, in], <c>bias</c> [out]) with a seam for a
/// low-rank update: y + Δy when a <see cref="LoraDelta"/> is attached (the delta is owned and registered by the PEFT
/// modules, not by the backbone). Supports merge/unmerge of W + s·B·A.
/// </summary>
public sealed class SeamLinear : Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly Parameter bias;
    private bool merged;

    /// <summary>The attached low-rank update, if any.</summary>
    public LoraDelta? Lora { get; private set; }

    /// <summary>Input features.</summary>
    public int InFeatures { get; }

    /// <summary>Output features.</summary>
    public int OutFeatures { get; }

    /// <summary>Creates a projection of <paramref name="inFeatures"/> → <paramref name="outFeatures"/> with PyTorch's default Linear init.</summary>
    public SeamLinear(string name, int inFeatures, int outFeatures) : base(name)
    {
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        using var init = nn.Linear(inFeatures, outFeatures);
        weight = nn.Parameter(init.weight!.detach().clone());
        bias = nn.Parameter(init.bias!.detach().clone());
        RegisterComponents();
    }

    /// <summary>y = x Wᵀ + b (+ Δy when a LoRA update is attached and not merged). x [..., in] → [..., out].</summary>
    public override Tensor forward(Tensor x)
    {
        var y = nn.functional.linear(x, weight, bias);
        if (Lora is null || merged)
        {
            return y;
        }
        using var delta = Lora.forward(x);
        var sum = y + delta;
        y.Dispose();
        return sum;
    }

    /// <summary>Attaches a low-rank update.</summary>
    /// <exception cref="InvalidOperationException">An update is already attached.</exception>
    public void Attach(LoraDelta lora)
    {
        if (Lora is not null)
        {
            throw new InvalidOperationException($"{GetName()}: a LoRA update is already attached");
        }
        Lora = lora;
    }

    /// <summary>Folds s·B·A into W (inference); forward then skips the update. No-op when already merged or none attached.</summary>
    public void Merge()
    {
        if (Lora is null || merged) { return; }
        using (torch.no_grad())
        using (var dw = Lora.DeltaWeight())
        {
            weight.add_(dw);
        }
        merged = true;
    }

    /// <summary>Subtracts s·B·A from W again (undoes <see cref="Merge"/>).</summary>
    public void Unmerge()
    {
        if (Lora is null || !merged) { return; }
        using (torch.no_grad())
        using (var dw = Lora.DeltaWeight())
        {
            weight.sub_(dw);
        }
        merged = false;
    }
}
