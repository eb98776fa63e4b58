using PeftGrid.Peft.Budget;
using PeftGrid.Peft.Framework;

namespace PeftGrid.Peft.Catalog;

/// <summary>A cell that passed <see cref="CellCheck.Check"/>.</summary>
/// <param name="Task">The task's catalog entry.</param>
/// <param name="Model">The model's catalog entry; null for an HF checkpoint folder (its shape is unknown until a machine reads its config.json).</param>
/// <param name="ModelName">The model's canonical name, or the checkpoint path as written.</param>
/// <param name="Config">The configuration; with sizes solved for the tier and validated against the shape when <paramref name="Model"/> is known.</param>
/// <param name="Solution">The budget solution when a tier was asked on a catalog model; else null.</param>
public sealed record CheckedCell(TaskEntry Task, ModelEntry? Model, string ModelName, PeftConfig Config, BudgetSolution? Solution);

/// <summary>
/// What makes a cell invalid on every machine, checked without tensors, files or a trainer: an unknown task or
/// model, a model that cannot run the task's kind, a max length beyond the model's positions, a bad method spec,
/// a size larger than the model allows or a budget tier the method cannot reach. The scheduler refuses such cells
/// at submission; the trainer runs the same check before its own (data on the machine, weights, tokenizer).
/// </summary>
public static class CellCheck
{
    /// <summary>Checks a cell.</summary>
    /// <param name="task">Task name or alias.</param>
    /// <param name="model">Model name, alias or HF checkpoint folder path.</param>
    /// <param name="method">Compact method spec, e.g. <c>mam[l=16]</c>.</param>
    /// <param name="budgetPercent">Budget tier in % of the model's parameters, or null for the method's own sizes.</param>
    /// <param name="maxLength">Maximum sequence length in tokens.</param>
    /// <exception cref="ArgumentException">The first problem, in one line naming the field and the allowed values.</exception>
    /// <exception cref="FormatException">A malformed method spec.</exception>
    public static CheckedCell Check(string task, string model, string method, double? budgetPercent, int maxLength)
    {
        var t = TaskCatalog.Find(task);
        var m = ModelCatalog.TryFind(model);
        if (m is null && !ModelCatalog.IsCheckpointPath(model))
        {
            throw ModelCatalog.Unknown(model);
        }
        if (m is not null && !m.Runs(t.Kind))
        {
            throw new ArgumentException($"model '{m.Name}' ({m.Family}) cannot run task '{t.Name}' ({t.Kind}); it runs {string.Join(", ", m.TaskKinds)} tasks");
        }
        if (m is not null && maxLength > m.MaxSequenceLength)
        {
            var rows = m.PositionOffset == 0
                ? $"max_position_embeddings {m.Shape.MaxPositions}"
                : $"max_position_embeddings {m.Shape.MaxPositions} minus the padding offset {m.PositionOffset}";
            throw new ArgumentException($"max length {maxLength} is beyond {m.Name}'s {m.MaxSequenceLength} positions ({rows}); allowed: at most {m.MaxSequenceLength}");
        }
        var config = PeftConfig.Parse(method);
        BudgetSolution? solution = null;
        if (m is not null)
        {
            if (budgetPercent is { } tier)
            {
                solution = BudgetSolver.Solve(config, m.Shape, tier);
                config = solution.Config;
            }
            config = config.ValidateFor(m.Shape);
        }
        return new CheckedCell(t, m, m?.Name ?? model.Trim(), config, solution);
    }

    /// <summary>Why <see cref="Check"/> refuses the cell (one line), or null if it passes.</summary>
    public static string? Refusal(string task, string model, string method, double? budgetPercent, int maxLength)
    {
        try
        {
            Check(task, model, method, budgetPercent, maxLength);
            return null;
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            return e.Message.ReplaceLineEndings(" ");
        }
    }
}
