using System.Globalization;
using PeftGrid.Peft.Framework;
using PeftGrid.Peft.Specs;

namespace PeftGrid.Peft.Budget;

/// <summary>The outcome of solving a configuration's sizes for a budget tier.</summary>
/// <param name="Config">The configuration with solved sizes.</param>
/// <param name="Counts">Its counts.</param>
/// <param name="TargetPercent">The tier, in % of the model's parameters.</param>
/// <param name="SolvedKnobs">The size knobs the solver set (empty for fixed-size methods).</param>
public sealed record BudgetSolution(PeftConfig Config, BudgetCounts Counts, double TargetPercent, IReadOnlyList<string> SolvedKnobs)
{
    /// <summary>Achieved minus target, in percentage points.</summary>
    public double MissPercent => Counts.Percent - TargetPercent;
    /// <summary>Achieved minus target, in parameters (paper count).</summary>
    public long MissParameters => Counts.PaperCount - (long)Math.Round(TargetPercent / 100.0 * Counts.TotalCount);
}

/// <summary>
/// Picks each method's sizes (l, r) so that its paper count lands on a budget tier (DESIGN.md §3).
/// Sizes written explicitly in the spec stay fixed; the free size knobs are tied to one common integer n,
/// chosen as the nearest n ≥ 1 (paper counts are linear in n), so the miss is at most half a size step.
/// A knob that scales with a solved size (LoRA's alpha with r) is rescaled with it, so s = alpha / r stays fixed (<see cref="Rule"/>).
/// </summary>
public static class BudgetSolver
{
    /// <summary>The rule, as stated by <c>peftgrid methods</c> and the README.</summary>
    public const string Rule =
        "A budget tier solves the sizes the spec leaves free (l, r, attn_r, ffn_r not written, or written '*') to one common n whose paper count " +
        "is nearest the tier; every other knob keeps its value. LoRA keeps its scale s = alpha/r as the spec resolves it (32/16 = 2 by default): " +
        "when the tier solves r, alpha := s·r is written out (lora-attn at 0.1 % on minilm: lora-attn[r=2,alpha=4]); with r written, nothing is solved.";

    /// <summary>Fixed-size methods (full, bitfit) accept a tier within this factor of their actual size.</summary>
    public const double FixedSizeTolerance = 2.0;

    /// <summary>Solves <paramref name="config"/>'s free sizes for <paramref name="targetPercent"/> % of <paramref name="shape"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The target is not in (0, 100].</exception>
    /// <exception cref="ArgumentException">The method cannot reach the target (fixed size too far off, n &lt; 1, or r &gt; d needed).</exception>
    public static BudgetSolution Solve(PeftConfig config, ModelShape shape, double targetPercent)
    {
        if (!(targetPercent > 0 && targetPercent <= 100))
        {
            throw new ArgumentOutOfRangeException(nameof(targetPercent), targetPercent, "budget must be in (0, 100] percent");
        }
        var free = config.Parts.SelectMany(p => Presets.Get(p.Preset).Knobs.Where(k => k.IsSize && !p.Explicit.Contains(k.Name)).Select(k => (Part: p, Knob: k.Name))).ToList();
        var target = targetPercent / 100.0 * shape.TotalParameters;
        if (free.Count == 0)
        {
            var counts = ParameterBudget.Count(config, shape);
            if (counts.PaperCount > target * FixedSizeTolerance || counts.PaperCount * FixedSizeTolerance < target)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"method '{config.Spec}' has no free size and a fixed budget of {counts.Percent:0.###}% on {shape.Name}; it cannot reach {targetPercent:0.###}%"));
            }
            return new BudgetSolution(config, counts, targetPercent, []);
        }
        var c1 = ParameterBudget.Count(WithSize(config, free, 1), shape).PaperCount;
        var c2 = ParameterBudget.Count(WithSize(config, free, 2), shape).PaperCount;
        var step = c2 - c1;
        var exact = 1 + (target - c1) / step;
        var n = (int)Math.Max(1, Math.Round(exact, MidpointRounding.AwayFromZero));
        if (exact < 0.5)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"method '{config.Spec}' cannot reach {targetPercent:0.###}% on {shape.Name}: its smallest size (1) already takes {100.0 * c1 / shape.TotalParameters:0.###}%"));
        }
        var solved = WithSize(config, free, n);
        try
        {
            solved.ValidateFor(shape);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"method '{config.Spec}' cannot reach {targetPercent:0.###}% on {shape.Name}: it would need {e.Message}"), e);
        }
        return new BudgetSolution(solved, ParameterBudget.Count(solved, shape), targetPercent, free.Select(f => $"{f.Part.Preset}.{f.Knob}").ToList());
    }

    private static PeftConfig WithSize(PeftConfig config, List<(SpecPart Part, string Knob)> free, int n)
    {
        var parts = config.Parts.Select(p =>
        {
            var part = p;
            foreach (var f in free.Where(f => ReferenceEquals(f.Part, p)))
            {
                part = part.With(f.Knob, n);
                var size = int.Parse(p[f.Knob], CultureInfo.InvariantCulture);
                foreach (var follower in Presets.Get(p.Preset).Knobs.Where(k => k.ScalesWith == f.Knob))
                {
                    // keep follower / size fixed: alpha := (alpha / r) · n, computed as alpha · n / r (one rounding)
                    var value = double.Parse(p[follower.Name], CultureInfo.InvariantCulture) * n / size;
                    part = part.With(follower.Name, value.ToString("R", CultureInfo.InvariantCulture));
                }
            }
            return part;
        }).ToList();
        return MethodSpec.Build(parts);
    }
}
