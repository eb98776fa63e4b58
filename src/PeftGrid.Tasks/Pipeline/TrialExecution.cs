using PeftGrid.Contracts.Trials;
using PeftGrid.Models;
using PeftGrid.Models.Bert;

namespace PeftGrid.Tasks.Runner;

/// <summary>
/// The outcome of <see cref="TrialExecutor.Execute"/>: the result, and (when training ran) the trained
/// classifier with the best epoch's weights, for saving an adapter. Dispose to free the model.
/// </summary>
public sealed class TrialExecution : IDisposable
{
    /// <summary>The result (DESIGN.md §6).</summary>
    public required TrialResult Result { get; init; }
    /// <summary>The validated plan; null when validation failed.</summary>
    public TrialPlan? Plan { get; init; }
    /// <summary>The trained model (best epoch), or null when the trial failed before training.</summary>
    public SequenceClassifier? Model { get; init; }
    /// <summary>Settings actually used and per-epoch details, written as the <c>training</c> object of result.json.</summary>
    public IReadOnlyDictionary<string, object?> Training { get; init; } = new Dictionary<string, object?>();

    /// <summary>Frees the model.</summary>
    public void Dispose() => Model?.Dispose();
}
