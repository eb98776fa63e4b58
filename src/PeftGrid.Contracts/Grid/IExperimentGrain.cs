using PeftGrid.Contracts.Trials;

namespace PeftGrid.Contracts.Grid;

/// <summary>
/// One grid cell (key = <see cref="TrialSpec.CellId"/>): its spec and its one accepted result per run. The durable record
/// that makes result acceptance exactly-once: the first final result of a run is kept, every later one of that run (or of
/// an older run) is rejected. A result of a newer run (the cell was rerun with <see cref="ISchedulerGrain.RetryAsync"/>)
/// moves the current one to <see cref="ExperimentSnapshot.History"/>.
/// </summary>
public interface IExperimentGrain : IGrainWithStringKey
{
    /// <summary>Records the cell's final result of <paramref name="run"/> if it has none for that run yet (persisted before
    /// returning). A result of a newer run moves the current one to the history.</summary>
    /// <param name="spec">The cell.</param>
    /// <param name="result">The final result.</param>
    /// <param name="attempts">Attempts used in this run.</param>
    /// <param name="run">1-based run of the cell (1 + retries).</param>
    /// <returns>True if recorded; false if the cell already had a result of this or a newer run (the duplicate is counted, not stored).</returns>
    Task<bool> RecordAsync(TrialSpec spec, TrialResult result, int attempts, int run);

    /// <summary>The cell's snapshot; null spec when never recorded.</summary>
    Task<ExperimentSnapshot> GetAsync();

    /// <summary>Re-reads the cell's record from storage (not the cached copy) and says whether a result of
    /// <paramref name="run"/> or a newer run is still there. The scheduler's audit: a false answer sends the cell back to Pending.</summary>
    /// <param name="run">The run the scheduler believes finished.</param>
    Task<bool> VerifyAsync(int run);

    /// <summary>Takes a running cell's progress and curve points (in memory; the accepted result carries the final curve in
    /// <see cref="TrialResult.Curve"/>). A report of an older lease than the newest one seen (ordered by
    /// (run, attempt, interruptions)) is ignored; a newer one starts a new curve. Points before <see cref="CurveReport.FromIndex"/>
    /// that are already held are not added twice; a gap (the grain lost points, e.g. it moved to another silo) adds nothing.</summary>
    /// <returns>Points now held for the report's lease — the worker sends from there next — or -1 if the report was stale.</returns>
    Task<int> ReportCurveAsync(CurveReport report);

    /// <summary>The cell's curve from <paramref name="fromIndex"/> on: the live one while a worker reports it (for a run newer than
    /// the accepted result's), else the accepted result's <see cref="TrialResult.Curve"/>.</summary>
    Task<CurveView> GetCurveAsync(int fromIndex);
}

/// <summary>What an <see cref="IExperimentGrain"/> holds.</summary>
[GenerateSerializer, Immutable, Alias("peftgrid.ExperimentSnapshot")]
public sealed record ExperimentSnapshot
{
    /// <summary>The cell, null if nothing was recorded.</summary>
    [Id(0)] public TrialSpec? Spec { get; init; }
    /// <summary>The accepted result of <see cref="Run"/>, null if none.</summary>
    [Id(1)] public TrialResult? Result { get; init; }
    /// <summary>Attempts used in <see cref="Run"/>.</summary>
    [Id(2)] public int Attempts { get; init; }
    /// <summary>Later results rejected as duplicates.</summary>
    [Id(3)] public int DuplicatesRejected { get; init; }
    /// <summary>When the result was accepted (UTC).</summary>
    [Id(4)] public DateTime? AcceptedAtUtc { get; init; }
    /// <summary>Run of <see cref="Result"/> (1-based; 0 when nothing was recorded).</summary>
    [Id(5)] public int Run { get; init; }
    /// <summary>Results of earlier runs, oldest first.</summary>
    [Id(6)] public IReadOnlyList<ExperimentRun> History { get; init; } = [];
}

/// <summary>The accepted result of one earlier run of a cell.</summary>
[GenerateSerializer, Immutable, Alias("peftgrid.ExperimentRun")]
public sealed record ExperimentRun
{
    /// <summary>1-based run.</summary>
    [Id(0)] public int Run { get; init; }
    /// <summary>Its accepted result.</summary>
    [Id(1)] public required TrialResult Result { get; init; }
    /// <summary>Attempts used in that run.</summary>
    [Id(2)] public int Attempts { get; init; }
    /// <summary>When it was accepted (UTC).</summary>
    [Id(3)] public DateTime? AcceptedAtUtc { get; init; }
}
