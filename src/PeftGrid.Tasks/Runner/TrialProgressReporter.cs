using PeftGrid.Contracts.Trials;
using PeftGrid.Tasks.Training;

namespace PeftGrid.Tasks.Runner;

/// <summary>
/// Turns a training run's step and curve callbacks into throttled <see cref="TrialProgress"/> reports (<see cref="TorchTrialRunner"/>):
/// at most one report per <see cref="Period"/>, except the last step's, which is always reported; curve points made in between wait
/// in a list and go out with the next report (<see cref="TrialProgress.Points"/>: each point once, in order), and
/// <see cref="Flush"/> sends what is left once training ends. Runs on the training thread: the callbacks only append or report
/// (no lock, no waiting; <see cref="IProgress{T}"/> implementations post elsewhere).
/// </summary>
/// <param name="progress">Where the reports go.</param>
/// <param name="time">The clock; null = the system clock.</param>
public sealed class TrialProgressReporter(IProgress<TrialProgress> progress, TimeProvider? time = null)
{
    /// <summary>The minimum time between two reports (but for the last step's and <see cref="Flush"/>).</summary>
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(1);

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly List<CurvePoint> _pending = [];
    private DateTimeOffset _lastReport = DateTimeOffset.MinValue;
    private TrainStepInfo? _step;

    /// <summary>The step callback (<see cref="Pipeline.TrialRunOptions.OnStep"/>): reports when a period has passed since the
    /// last report, or at the last planned step.</summary>
    /// <param name="info">The step just taken.</param>
    public void OnStep(TrainStepInfo info)
    {
        _step = info;
        if (info.Step == info.TotalSteps || _time.GetUtcNow() - _lastReport >= Period) Report();
    }

    /// <summary>The curve callback (<see cref="Pipeline.TrialRunOptions.OnCurvePoints"/>): queues the points; an evaluation's points
    /// are reported at once when a period has passed since the last report (they come between steps: without this they would wait
    /// for the next epoch's first step), loss points go with the step's report that follows them.</summary>
    /// <param name="points">New curve points, in order.</param>
    public void OnCurvePoints(IReadOnlyList<CurvePoint> points)
    {
        _pending.AddRange(points);
        if (_step is not null && points.Count > 0 && points[0].Kind == CurveKind.Evaluation && _time.GetUtcNow() - _lastReport >= Period) Report();
    }

    /// <summary>Reports the points still queued, with the last step's progress (call once training has ended); nothing when none is queued.</summary>
    public void Flush()
    {
        if (_pending.Count > 0) Report();
    }

    private void Report()
    {
        _lastReport = _time.GetUtcNow();
        var step = _step;
        progress.Report(new TrialProgress
        {
            Step = step?.Step ?? 0, TotalSteps = step?.TotalSteps ?? 0, Loss = step?.Loss ?? double.NaN,
            ExamplesPerSecond = step?.ExamplesPerSecond ?? 0, Epoch = step?.Epoch ?? 0,
            Points = _pending.Count == 0 ? [] : _pending.ToArray(),
        });
        _pending.Clear();
    }
}
