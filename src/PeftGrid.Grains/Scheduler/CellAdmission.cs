using PeftGrid.Contracts.Trials;
using PeftGrid.Peft.Catalog;

namespace PeftGrid.Grains.Scheduler;

/// <summary>
/// What the scheduler refuses at submission: cells invalid on every machine. It must not depend on the silo that
/// hosts the scheduler (never on that silo's runner, data or weights): register the same admission on every silo.
/// What a machine can run is matched later, when workers lease cells (<see cref="RunnerCapabilities"/>).
/// </summary>
public interface ICellAdmission
{
    /// <summary>Why <paramref name="spec"/> can run nowhere (one line), or null if some worker could run it.</summary>
    string? Refusal(TrialSpec spec);
}

/// <summary>
/// The admission of every real cluster: the torch-free <see cref="CellCheck"/> — task and model known to the catalogs
/// (or a checkpoint path), the model runs the task's kind, the max length fits the model's positions, the method spec
/// parses, its sizes fit the model and its budget tier is reachable.
/// </summary>
public sealed class CatalogAdmission : ICellAdmission
{
    /// <summary>The one instance (it has no state).</summary>
    public static CatalogAdmission Instance { get; } = new();

    /// <inheritdoc/>
    public string? Refusal(TrialSpec spec) => CellCheck.Refusal(spec.Task, spec.Model, spec.Method, spec.BudgetPercent, spec.Profile.MaxLength);
}
