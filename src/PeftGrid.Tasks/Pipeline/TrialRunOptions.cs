using PeftGrid.Contracts.Trials;
using PeftGrid.Tasks.Training;

namespace PeftGrid.Tasks.Pipeline;

/// <summary>Where and how one trial runs in this process (not part of the cell: the same cell gives the same result on any device
/// and thread count up to floating-point reduction order).</summary>
public sealed record TrialRunOptions
{
    /// <summary>Torch device string (<c>cpu</c>, <c>cuda:0</c>). Default <c>cpu</c>.</summary>
    public string Device { get; init; } = "cpu";
    /// <summary>libtorch intra-op threads; null = the processor count. Fixed threads keep runs reproducible.</summary>
    public int? Threads { get; init; }
    /// <summary>Called after every optimizer step (applied or skipped); may be null.</summary>
    public Action<TrainStepInfo>? OnStep { get; init; }
    /// <summary>Called with the training-curve points as they are made (<see cref="CurveRecorder"/>: one loss point, or every metric
    /// of one evaluation), each point once, in order, on the training thread: keep it cheap (append to a list, send elsewhere);
    /// may be null. The full curve is also in <see cref="TrialResult.Curve"/>.</summary>
    public Action<IReadOnlyList<CurvePoint>>? OnCurvePoints { get; init; }
    /// <summary>Stops training between steps (status Cancelled).</summary>
    public CancellationToken CancellationToken { get; init; }
}
