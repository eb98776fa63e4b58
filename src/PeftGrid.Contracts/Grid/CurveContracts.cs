using PeftGrid.Contracts.Trials;

namespace PeftGrid.Contracts.Grid;

/// <summary>
/// A worker's report of a running cell's progress to its <see cref="IExperimentGrain"/>
/// (<see cref="IExperimentGrain.ReportCurveAsync"/>): the latest progress and the curve points from <see cref="FromIndex"/> on.
/// The lease is named by (<see cref="Run"/>, <see cref="Attempt"/>, <see cref="Interruptions"/>) — see <see cref="CellLease"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("peftgrid.CurveReport")]
public sealed record CurveReport
{
    /// <summary>The lease token the worker runs the cell under.</summary>
    [Id(0)] public required string Token { get; init; }
    /// <summary>The worker, <c>silo/device</c>.</summary>
    [Id(1)] public string Worker { get; init; } = "";
    /// <summary><see cref="CellLease.Run"/>.</summary>
    [Id(2)] public int Run { get; init; } = 1;
    /// <summary><see cref="CellLease.Attempt"/>.</summary>
    [Id(3)] public int Attempt { get; init; } = 1;
    /// <summary><see cref="CellLease.Interruptions"/>.</summary>
    [Id(4)] public int Interruptions { get; init; }
    /// <summary>Index (0-based, within this lease's curve) of the first of <see cref="Points"/>.</summary>
    [Id(5)] public int FromIndex { get; init; }
    /// <summary>Curve points from <see cref="FromIndex"/> on (may be empty: a progress-only report).</summary>
    [Id(6)] public IReadOnlyList<CurvePoint> Points { get; init; } = [];
    /// <summary>The latest progress (step, total steps, loss, examples/s, epoch); null if none yet.</summary>
    [Id(7)] public TrialProgress? Progress { get; init; }
}

/// <summary>A cell's training curve as <see cref="IExperimentGrain.GetCurveAsync"/> returns it.</summary>
[GenerateSerializer, Immutable, Alias("peftgrid.CurveView")]
public sealed record CurveView
{
    /// <summary>Run the curve belongs to (0 = no curve at all).</summary>
    [Id(0)] public int Run { get; init; }
    /// <summary>Attempt the curve belongs to.</summary>
    [Id(1)] public int Attempt { get; init; }
    /// <summary>True while a worker reports it (the cell runs); false for the curve of an accepted result.</summary>
    [Id(2)] public bool Live { get; init; }
    /// <summary>Points the curve holds in all.</summary>
    [Id(3)] public int Total { get; init; }
    /// <summary>The points from the requested index on.</summary>
    [Id(4)] public IReadOnlyList<CurvePoint> Points { get; init; } = [];
    /// <summary>The latest progress of a live curve; null otherwise.</summary>
    [Id(5)] public TrialProgress? Progress { get; init; }
    /// <summary>Worker reporting the live curve (or that ran the result).</summary>
    [Id(6)] public string? Worker { get; init; }
    /// <summary>When the last report arrived (UTC), for a live curve.</summary>
    [Id(7)] public DateTime? UpdatedAtUtc { get; init; }
}
