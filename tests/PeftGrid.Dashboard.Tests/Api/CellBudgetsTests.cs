using PeftGrid.Contracts.Trials;
using PeftGrid.Dashboard.Api;
using PeftGrid.Peft.Budget;
using PeftGrid.Peft.Catalog;
using PeftGrid.Peft.Framework;
using Xunit;

namespace PeftGrid.Dashboard.Tests.Api;

public class CellBudgetsTests
{
    [Fact]
    public void ATierCellCountsAsTheSolverSolvesIt()
    {
        var spec = new TrialSpec { Task = "sst2", Model = "minilm", Method = "lora-attn", BudgetPercent = 0.5 };
        var solved = BudgetSolver.Solve(PeftConfig.Parse("lora-attn"), ModelCatalog.TryFind("minilm")!.Shape, 0.5).Counts;
        Assert.Equal(new BudgetReport { PaperCount = solved.PaperCount, TrainableCount = solved.TrainableCount, TotalCount = solved.TotalCount, Percent = solved.Percent }, CellBudgets.Of(spec, null));
    }

    [Fact]
    public void ExplicitSizesCountAsParameterBudgetCountsThem()
    {
        var spec = new TrialSpec { Task = "sst2", Model = "minilm", Method = "prefix[l=8]" };
        var counts = ParameterBudget.Count(PeftConfig.Parse("prefix[l=8]"), ModelCatalog.TryFind("minilm")!.Shape);
        Assert.Equal(counts.PaperCount, CellBudgets.Of(spec, null)!.PaperCount);
    }

    [Fact]
    public void AResultsCountsWinAndAnUnknownModelOrBadSpecHasNone()
    {
        var spec = new TrialSpec { Task = "sst2", Model = "minilm", Method = "lora-attn", BudgetPercent = 0.5 };
        var result = new TrialResult { CellId = "c", Task = "sst2", Model = "minilm", Method = "lora-attn", Budget = new BudgetReport { PaperCount = 7, TrainableCount = 8, TotalCount = 100, Percent = 7 } };
        Assert.Equal(new BudgetReport { PaperCount = 7, TrainableCount = 8, TotalCount = 100, Percent = 7 }, CellBudgets.Of(spec, result));
        Assert.Null(CellBudgets.Of(spec with { Model = "/models/some-checkpoint" }, null));
        Assert.Null(CellBudgets.Of(spec with { Method = "nonsense[[" }, null));
    }
}
