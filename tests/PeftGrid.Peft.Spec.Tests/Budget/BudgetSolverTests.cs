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
        var solution = BudgetSolver.Solve(PeftConfig.Parse(method), ModelShape.MiniLM, 0.5);
        Assert.True(Math.Abs(solution.MissParameters) <= step / 2, $"{solution.Config.Spec}: miss {solution.MissParameters} > half step {step / 2}");
        Assert.Equal(0.5, solution.Counts.Percent, 1);
    }

    [Fact]
    public void SolverKeepsExplicitSizesAndSolvesTheRest()
    {
        var solution = BudgetSolver.Solve(PeftConfig.Parse("mam[l=30]"), ModelShape.RobertaBase, 0.5);
        Assert.Equal(30, solution.Config.Modifications[0].Size);
        Assert.Equal(["mam.r"], solution.SolvedKnobs);
        Assert.Equal(4, solution.Config.Modifications[1].Size);   // (0.005·124,055,040 − 552,960) / 18,432 = 3.65 → 4
    }

    [Fact]
    public void UnreachableBudgetsAreClearErrors()
    {
        Assert.Contains("cannot reach 5%", Assert.Throws<ArgumentException>(() => BudgetSolver.Solve(PeftConfig.Parse("bitfit"), ModelShape.MiniLM, 5)).Message);
        Assert.Contains("cannot reach 0.001%", Assert.Throws<ArgumentException>(() => BudgetSolver.Solve(PeftConfig.Parse("lora-ffn"), ModelShape.MiniLM, 0.001)).Message);
        Assert.Contains("larger than the model's hidden size", Assert.Throws<ArgumentException>(() => BudgetSolver.Solve(PeftConfig.Parse("pa-ffn"), ModelShape.MiniLM, 30)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => BudgetSolver.Solve(PeftConfig.Parse("pa-ffn"), ModelShape.MiniLM, 0));
        Assert.Equal(0.114, BudgetSolver.Solve(PeftConfig.Parse("bitfit"), ModelShape.MiniLM, 0.1).Counts.Percent, 3);
    }
}
