using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace PeftGrid.Peft.Seams;

/// <summary>
/// A backbone's linear projection y = x Wᵀ + b (HF keys <c>weight</c> [out, in], <c>bias</c> [out]) at a projection site.
/// It holds no PEFT state: the site's <see cref="ILinearAdapter"/> (e.g. a LoRA update) is handed to <see cref="Forward"/>
/// by the forward pass and computes the output from the frozen W and b.
/// </summary>
public sealed class SeamLinear : Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly Parameter bias;

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

    /// <summary>W [out, in] (the current parameter; it changes identity when the module moves device).</summary>
    public Parameter Weight => weight;

    /// <summary>y = x Wᵀ + b. x [..., in] → [..., out].</summary>
    public override Tensor forward(Tensor x) => nn.functional.linear(x, weight, bias);

    /// <summary>y = x Wᵀ + b, or the site adapter's output when one is attached. x [..., in] → [..., out].</summary>
    public Tensor Forward(Tensor x, ILinearAdapter? adapter) => adapter is null ? forward(x) : adapter.Forward(x, weight, bias);
}
