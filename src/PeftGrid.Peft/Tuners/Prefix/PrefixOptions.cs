using PeftGrid.Peft.Framework;

namespace PeftGrid.Peft.Tuners.Prefix;

/// <summary>Prefix tuning's (and the multi-head parallel adapter's) options (PAPER.md §1.4, §1.5, §1.10), read from its <see cref="Modification"/>.</summary>
/// <param name="Length">l, the number of prefix vectors per attention (r for the multi-head PA).</param>
/// <param name="MidDim">Hidden size of the reparametrization MLP (800 in the paper), or null to learn P_k, P_v directly.</param>
/// <param name="Use">How attention uses the prefix.</param>
public sealed record PrefixOptions(int Length, int? MidDim, PrefixUse Use)
{
    /// <summary>
    /// The options of <paramref name="m"/>: ReLU form → <see cref="PrefixUse.ReluAdd"/>; add composition →
    /// <see cref="PrefixUse.Add"/>; explicit gate → <see cref="PrefixUse.Gated"/>; otherwise <see cref="PrefixUse.Concat"/>.
    /// </summary>
    public static PrefixOptions From(Modification m) => new(m.Size, m.PrefixMidDim, (m.Form, m.Composition, m.Gate) switch
    {
        (FunctionalForm.PrefixRelu, _, _) => PrefixUse.ReluAdd,
        (_, CompositionFunction.Add, _) => PrefixUse.Add,
        (_, _, PrefixGate.Explicit) => PrefixUse.Gated,
        _ => PrefixUse.Concat,
    });
}
