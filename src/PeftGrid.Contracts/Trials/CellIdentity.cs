using PeftGrid.Peft.Budget;
using PeftGrid.Peft.Catalog;
using PeftGrid.Peft.Framework;

namespace PeftGrid.Contracts.Trials;

/// <summary>
/// The method part of a cell's identity: the configuration the cell trains, in its canonical resolved form
/// (<see cref="PeftConfig.Spec"/>), so the same configuration in any spelling is one cell. For a budget tier on a model whose
/// shape is known here (<see cref="KnownShape"/>) the free sizes are solved as the worker will solve them, so <c>mam</c> and
/// <c>mam[l=12,r=12]</c> at 0.5 % on <c>minilm</c> are one cell; for an unknown shape (a checkpoint path) they stay marked
/// <c>*</c> (<see cref="PeftConfig.TierSpec"/>, e.g. <c>mam[l=*,r=*,s=2,mid=800]</c>), so only identical requests merge.
/// </summary>
public static class CellIdentity
{
    /// <summary>The identity text of <paramref name="method"/> on <paramref name="model"/> at <paramref name="budgetPercent"/>.
    /// A spec that does not parse (the worker will fail it) is identified by its text without spaces; a tier the method
    /// cannot reach by its <see cref="PeftConfig.TierSpec"/>.</summary>
    /// <param name="method">A compact method spec, as in <see cref="TrialSpec.Method"/>.</param>
    /// <param name="model">The model name or checkpoint path.</param>
    /// <param name="budgetPercent">The budget tier in %, or null for the spec's own sizes.</param>
    public static string Method(string method, string model, double? budgetPercent)
    {
        PeftConfig config;
        try
        {
            config = PeftConfig.Parse(method);
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            return method.Replace(" ", "", StringComparison.Ordinal);
        }
        if (budgetPercent is not { } tier)
        {
            return config.Spec;
        }
        if (KnownShape(model) is { } shape)
        {
            try
            {
                return BudgetSolver.Solve(config, shape, tier).Config.Spec;
            }
            catch (ArgumentException)
            {
                // unreachable tier: the worker fails the cell; identify it by the request
            }
        }
        return config.TierSpec;
    }

    /// <summary>The shape of a model in <see cref="ModelCatalog"/> (by name or alias), or null for anything else (a checkpoint
    /// path). The one place cell identity looks shapes up.</summary>
    /// <param name="model">The model name or path.</param>
    public static ModelShape? KnownShape(string model) => ModelCatalog.TryFind(model)?.Shape;
}
