using PeftGrid.Peft.Catalog;
using PeftGrid.Peft.Budget;
using PeftGrid.Peft.Framework;
using Xunit;

namespace PeftGrid.Peft.Spec.Tests.Budget;

public class BudgetSolverTests
{
    [Theory]
    [InlineData("lora-attn", 9216)]
    [InlineData("pa-ffn", 4608)]
    [InlineData("prefix", 4608)]
    [InlineData("mam", 9216)]
    [InlineData("houlsby", 9216)]
    public void SolverHitsHalfAPercentOnMiniLmWithinOneSizeStep(string method, long step)
    {
        var solution = BudgetSolver.Solve(PeftConfig.Parse(method), ModelCatalog.MiniLM.Shape, 0.5);
        Assert.True(Math.Abs(solution.MissParameters) <= step / 2, $"{solution.Config.Spec}: miss {solution.MissParameters} > half step {step / 2}");
        Assert.Equal(0.5, solution.Counts.Percent, 1);
    }

    [Fact]
    public void SolverKeepsExplicitSizesAndSolvesTheRest()
    {
        var solution = BudgetSolver.Solve(PeftConfig.Parse("mam[l=30]"), ModelCatalog.RobertaBase.Shape, 0.5);
        Assert.Equal(30, solution.Config.Modifications[0].Size);
        Assert.Equal(["mam.r"], solution.SolvedKnobs);
        Assert.Equal(4, solution.Config.Modifications[1].Size);   // (0.005·124,055,040 − 552,960) / 18,432 = 3.65 → 4
    }

    [Fact]
    public void UnreachableBudgetsAreClearErrors()
    {
        Assert.Contains("cannot reach 5%", Assert.Throws<ArgumentException>(() => BudgetSolver.Solve(PeftConfig.Parse("bitfit"), ModelCatalog.MiniLM.Shape, 5)).Message);
        Assert.Contains("cannot reach 0.001%", Assert.Throws<ArgumentException>(() => BudgetSolver.Solve(PeftConfig.Parse("lora-ffn"), ModelCatalog.MiniLM.Shape, 0.001)).Message);
        Assert.Contains("larger than the model's hidden size", Assert.Throws<ArgumentException>(() => BudgetSolver.Solve(PeftConfig.Parse("pa-ffn"), ModelCatalog.MiniLM.Shape, 30)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => BudgetSolver.Solve(PeftConfig.Parse("pa-ffn"), ModelCatalog.MiniLM.Shape, 0));
        Assert.Equal(0.114, BudgetSolver.Solve(PeftConfig.Parse("bitfit"), ModelCatalog.MiniLM.Shape, 0.1).Counts.Percent, 3);
    }

    [Theory]
    [InlineData(0.1, "lora-attn[r=2,alpha=4]")]    // 22,565 / 9,216 per rank = 2.45 → r = 2 (s was 32 / 2 = 16)
    [InlineData(0.5, "lora-attn[r=12,alpha=24]")]  // 112,827 / 9,216 = 12.2 → r = 12 (s was 32 / 12 = 2.67)
    public void SolvingLoraRKeepsItsScale(double tier, string solved)
    {
        var solution = BudgetSolver.Solve(PeftConfig.Parse("lora-attn"), ModelCatalog.MiniLM.Shape, tier);
        Assert.Equal(2.0, solution.Config.Modifications.Single().Scale);
        Assert.Equal(solved, solution.Config.Spec);
        Assert.Equal(["lora-attn.r"], solution.SolvedKnobs);
    }

    [Theory]
    [InlineData("lora-ffn", 0.1, "lora-ffn[r=1,alpha=2]", 2.0)]
    [InlineData("lora-attn[alpha=8]", 0.5, "lora-attn[r=12,alpha=6]", 0.5)]                // s = 8 / 16 as written, kept
    [InlineData("lora-attn[r=4,alpha=32]", 0.2, "lora-attn[r=4,alpha=32]", 8.0)]          // both written: nothing solved
    [InlineData("lora-attn[r=12]", 0.5, "lora-attn[r=12,alpha=32]", 32.0 / 12)]           // r written: nothing solved
    [InlineData("prefix+lora-ffn[mid=0]", 0.5, "prefix+lora-ffn[l=4,r=4,alpha=8,mid=0]", 2.0)]
    public void TheLoraScaleRuleAcrossSpecs(string spec, double tier, string solved, double scale)
    {
        var solution = BudgetSolver.Solve(PeftConfig.Parse(spec), ModelCatalog.MiniLM.Shape, tier);
        Assert.Equal(solved, solution.Config.Spec);
        Assert.Equal(scale, solution.Config.Modifications.Single(m => m.LoraAlpha is not null).Scale, 12);
    }
}
