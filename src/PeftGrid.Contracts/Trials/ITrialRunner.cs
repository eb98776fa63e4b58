namespace PeftGrid.Contracts.Trials;

/// <summary>Progress of a running trial, reported by an <see cref="ITrialRunner"/>.</summary>
[GenerateSerializer, Immutable, Alias("peftgrid.TrialProgress")]
public sealed record TrialProgress
{
    /// <summary>Optimizer steps done.</summary>
    [Id(0)] public long Step { get; init; }
    /// <summary>Total optimizer steps planned.</summary>
    [Id(1)] public long TotalSteps { get; init; }
    /// <summary>Latest training loss (mean over the last logging window).</summary>
    [Id(2)] public double Loss { get; init; }
    /// <summary>Training throughput so far, examples per second.</summary>
    [Id(3)] public double ExamplesPerSecond { get; init; }
    /// <summary>1-based current epoch.</summary>
    [Id(4)] public int Epoch { get; init; }
    /// <summary>Curve points taken since the previous report, oldest first (each point is reported once; empty when none).</summary>
    [Id(5)] public IReadOnlyList<CurvePoint> Points { get; init; } = [];
}

/// <summary>
/// Runs one trial to completion on the local device. The seam between the grid (Orleans grains) and
/// the trainer (PeftGrid.Tasks); grains call it off the Orleans scheduler threads.
/// Its workers register its <see cref="Capabilities"/> with the scheduler, which leases them only cells those cover.
/// Implementations never throw for a bad cell: they return a <see cref="TrialResult"/> with
/// <see cref="TrialStatus.Failed"/> and the reason.
/// </summary>
public interface ITrialRunner
{
    /// <summary>The tasks and models it can execute (without looking at data or weights on this machine).</summary>
    RunnerCapabilities Capabilities { get; }

    /// <summary>Why it cannot run <paramref name="spec"/> on this machine (unknown task/model, outside its capabilities, bad method,
    /// missing weights or data), or null if it can. <see cref="RunAsync"/> fails such a cell with the reason.</summary>
    string? Refusal(TrialSpec spec);

    /// <summary>Trains and evaluates <paramref name="spec"/> on <paramref name="device"/> (e.g. <c>cpu</c>, <c>cuda:0</c>).</summary>
    /// <param name="spec">The cell.</param>
    /// <param name="device">Torch device string.</param>
    /// <param name="progress">Receives progress about once a second; may be null.</param>
    /// <param name="cancellationToken">Cancels the trial; the result then has status Cancelled.</param>
    Task<TrialResult> RunAsync(TrialSpec spec, string device, IProgress<TrialProgress>? progress, CancellationToken cancellationToken);
}
