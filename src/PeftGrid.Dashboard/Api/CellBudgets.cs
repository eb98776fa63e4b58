using PeftGrid.Contracts.Trials;
using PeftGrid.Peft.Budget;
using PeftGrid.Peft.Catalog;

namespace PeftGrid.Dashboard.Api;

/// <summary>A cell's parameter counts without tensors: its result's, else <see cref="CellCheck.Check"/> (the scheduler's and the
/// trainer's own check, which solves a tier's sizes with <see cref="BudgetSolver"/>) counted by <see cref="ParameterBudget"/>.</summary>
public static class CellBudgets
{
    /// <summary>The counts of <paramref name="spec"/>; null when the model's shape is unknown here or the spec does not check.</summary>
    /// <param name="spec">The cell.</param>
    /// <param name="result">Its accepted result, if any (its counts are the ones the trainer measured).</param>
    public static BudgetReport? Of(TrialSpec spec, TrialResult? result)
    {
        if (result is { Budget.TotalCount: > 0 })
        {
            return result.Budget;
        }
        try
        {
            var cell = CellCheck.Check(spec.Task, spec.Model, spec.Method, spec.BudgetPercent, spec.Profile.MaxLength);
            if (cell.Model is null)
            {
                return null;
            }
            var counts = cell.Solution?.Counts ?? ParameterBudget.Count(cell.Config, cell.Model.Shape);
            return new BudgetReport { PaperCount = counts.PaperCount, TrainableCount = counts.TrainableCount, TotalCount = counts.TotalCount, Percent = counts.Percent };
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            return null;
        }
    }
}
