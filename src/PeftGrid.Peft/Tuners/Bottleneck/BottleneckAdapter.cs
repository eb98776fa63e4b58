using PeftGrid.Peft.Framework;
using PeftGrid.Peft.Seams;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace PeftGrid.Peft.Tuners.Bottleneck;

/// <summary>
/// A bottleneck adapter Δh = s·(Dropout(ReLU(LN?(z) W_down + b_down)) W_up + b_up), z = h (sequential) or x (parallel)
/// (PAPER.md §1.7, §1.9, §1.11; <c>petl_factory.Adapter_Layer</c>). Shapes: input [B, T, d] → Δh [B, T, d].
/// s multiplies the whole up-projection output including b_up; a learned s is a scalar Parameter initialised to 1.
/// Parameter names: <c>adapter_layer_norm_before.*</c>, <c>down_proj.*</c>, <c>up_proj.*</c>, <c>scale</c>.
/// </summary>
public sealed class BottleneckAdapter : Module<Tensor, Tensor>, IHiddenStateAdapter
{
    private readonly LayerNorm? adapter_layer_norm_before;
    private readonly Linear down_proj;
    private readonly Linear up_proj;
    private readonly Dropout dropout;
    private readonly Parameter? scale;
    private readonly double fixedScale;

    /// <summary>Where Δh reads its input.</summary>
    public InsertionForm Insertion { get; }

    /// <summary>Creates the adapter for hidden size <paramref name="d"/> and the bottleneck r of <paramref name="m"/>.</summary>
    /// <param name="name">Module name.</param>
    /// <param name="d">Hidden size d.</param>
    /// <param name="m">The options (r, init, LayerNorm option, s, dropout, insertion).</param>
    public BottleneckAdapter(string name, int d, BottleneckOptions m) : base(name)
    {
        Insertion = m.Insertion;
        if (m.InputLayerNorm)
        {
            adapter_layer_norm_before = nn.LayerNorm(d);
        }
        down_proj = nn.Linear(d, m.Bottleneck);
        up_proj = nn.Linear(m.Bottleneck, d);
        dropout = nn.Dropout(m.Dropout);
        fixedScale = m.Scale;
        if (m.TrainableScale)
        {
            scale = nn.Parameter(torch.ones(1));
        }
        using (torch.no_grad())
        {
            if (m.Init == AdapterInit.Bert)
            {
                nn.init.normal_(down_proj.weight!, 0, 0.02);
                nn.init.normal_(up_proj.weight!, 0, 0.02);
            }
            else
            {
                nn.init.kaiming_uniform_(down_proj.weight!, a: Math.Sqrt(5));
                nn.init.zeros_(up_proj.weight!);
            }
            nn.init.zeros_(down_proj.bias!);
            nn.init.zeros_(up_proj.bias!);
        }
        RegisterComponents();
    }

    /// <summary>Δh for input <paramref name="z"/> [B, T, d] (already scaled by s).</summary>
    public override Tensor forward(Tensor z)
    {
        using var scope = NewDisposeScope();
        var input = adapter_layer_norm_before is null ? z : adapter_layer_norm_before.forward(z);
        var delta = up_proj.forward(dropout.forward(nn.functional.relu(down_proj.forward(input))));
        delta = scale is not null ? delta * scale : (fixedScale == 1.0 ? delta : delta * fixedScale);
        return delta.MoveToOuterDisposeScope();
    }

    /// <summary>Δh(h) (sequential) or Δh(x) (parallel); the site composes h + Δh. Shapes [B, T, d].</summary>
    public Tensor Delta(Tensor x, Tensor h) => forward(Insertion == InsertionForm.Sequential ? h : x);
}
