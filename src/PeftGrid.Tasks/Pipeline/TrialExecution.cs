using PeftGrid.Contracts.Trials;
using PeftGrid.Peft.Adapters;
using PeftGrid.Tasks.Runner;

namespace PeftGrid.Tasks.Pipeline;

/// <summary>
/// The outcome of one trial (<see cref="ITrialExecutor.Execute"/>): the result, and (when training ran) the trained model with the
/// best epoch's weights, for saving an adapter. Dispose to free the model.
/// </summary>
public sealed class TrialExecution : IDisposable
{
    /// <summary>The result (DESIGN.md §6), its <see cref="TrialResult.Training"/> details included.</summary>
    public required TrialResult Result { get; init; }
    /// <summary>The validated plan; null when validation failed.</summary>
    public TrialPlan? Plan { get; init; }
    /// <summary>The trained model (best epoch), or null when the trial failed before training.</summary>
    public IPeftModel? Model { get; init; }

    /// <summary>Frees the model.</summary>
    public void Dispose() => Model?.Dispose();
}
