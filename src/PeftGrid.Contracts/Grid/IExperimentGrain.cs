using PeftGrid.Contracts.Trials;

namespace PeftGrid.Contracts.Grid;

/// <summary>
/// One grid cell (key = <see cref="TrialSpec.CellId"/>): its spec and its one accepted result. The durable record
/// that makes result acceptance exactly-once: the first final result is kept, every later one is rejected.
/// </summary>
public interface IExperimentGrain : IGrainWithStringKey
{
    /// <summary>Records the cell's final result if it has none yet (persisted before returning).</summary>
    /// <param name="spec">The cell.</param>
    /// <param name="result">The final result.</param>
    /// <param name="attempts">Attempts used.</param>
    /// <returns>True if recorded; false if the cell already had a result (the duplicate is counted, not stored).</returns>
    Task<bool> RecordAsync(TrialSpec spec, TrialResult result, int attempts);

    /// <summary>The cell's snapshot; null spec when never recorded.</summary>
    Task<ExperimentSnapshot> GetAsync();
}

/// <summary>What an <see cref="IExperimentGrain"/> holds.</summary>
[GenerateSerializer, Immutable, Alias("peftgrid.ExperimentSnapshot")]
public sealed record ExperimentSnapshot
{
    /// <summary>The cell, null if nothing was recorded.</summary>
    [Id(0)] public TrialSpec? Spec { get; init; }
    /// <summary>The accepted result, null if none.</summary>
    [Id(1)] public TrialResult? Result { get; init; }
    /// <summary>Attempts used.</summary>
    [Id(2)] public int Attempts { get; init; }
    /// <summary>Later results rejected as duplicates.</summary>
    [Id(3)] public int DuplicatesRejected { get; init; }
    /// <summary>When the result was accepted (UTC).</summary>
    [Id(4)] public DateTime? AcceptedAtUtc { get; init; }
}
