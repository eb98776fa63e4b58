using PeftGrid.Peft.Budget;
using PeftGrid.Peft.Catalog;
using PeftGrid.Peft.Framework;
using PeftGrid.Peft.Specs;
using Xunit;

namespace PeftGrid.Peft.Tests;

public class BudgetTests
{
    [Fact]
    public void BuiltInModelTotals()
    {
        Assert.Equal(22_565_376L, ModelCatalog.MiniLM.Shape.TotalParameters);
        Assert.Equal(124_055_040L, ModelCatalog.RobertaBase.Shape.TotalParameters);
        Assert.Equal(108_891_648L, ModelCatalog.BertBaseUncased.Shape.TotalParameters);
    }

    [Fact]
    public void GlueMamOnRobertaBaseHasPaperCount589824()
    {
        var counts = ParameterBudget.Count(PeftConfig.Parse("mam[l=16,r=16,s=2]"), ModelCatalog.RobertaBase.Shape);
        Assert.Equal(589_824L, counts.PaperCount);
        Assert.Equal(124_055_040L, counts.TotalCount);
        Assert.Equal(0.4755, counts.Percent, 4);
    }

    [Theory]
    [InlineData("prefix[l=200]", 2L * 200 * 768 * 12)]
    [InlineData("lora-attn[r=16]", 4L * 16 * 768 * 12)]
    [InlineData("lora-ffn[r=102]", 10L * 102 * 768 * 12)]
    [InlineData("houlsby[r=16]", 2 * 2L * 16 * 768 * 12)]
    [InlineData("prompt[l=200]", 200L * 768)]
    [InlineData("pa-attn+pa-ffn[attn_r=30,ffn_r=512]", 2L * 30 * 768 * 12 + 2L * 512 * 768 * 12)]
    public void PaperCountsFollowAppendixB(string spec, long expected)
    {
        Assert.Equal(expected, ParameterBudget.Count(PeftConfig.Parse(spec), ModelCatalog.RobertaBase.Shape).PaperCount);
    }

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

    public static IEnumerable<object[]> Presets => SpecTests.AllPresets.Select(p => new object[] { p });

    [Theory]
    [MemberData(nameof(Presets))]
    public void ClosedFormTrainableCountEqualsCountedOnTheBuiltModel(string preset)
    {
        var spec = preset switch { "scaled-pa" => "scaled-pa[s=learned]", "prefix" => "prefix[l=5]", "mh-pa" => "mh-pa[r=6,mid=0]", _ => preset };
        using var model = TinyModels.Classifier(spec);
        var closed = ParameterBudget.Count(PeftConfig.Parse(spec), TinyModels.Shape);
        var counted = model.CountedBudget();
        Assert.Equal(closed.TotalCount, counted.TotalCount);
        Assert.Equal(closed.TrainableCount, counted.TrainableCount);
    }
}
