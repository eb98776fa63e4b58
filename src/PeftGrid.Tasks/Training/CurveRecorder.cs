using System.Diagnostics;
using PeftGrid.Contracts.Trials;

namespace PeftGrid.Tasks.Training;

/// <summary>
/// Builds a run's training curve (<see cref="CurvePoint"/>) from what the trainer already has on the host: fed each optimizer
/// step's loss, it emits a <see cref="CurveKind.Loss"/> point every <see cref="Interval"/> steps (the mean of that interval's
/// losses, HF Trainer's <c>logging_steps</c> log) and the last, partial interval when training ends; fed an evaluation, one
/// <see cref="CurveKind.Evaluation"/> point per dev metric. New points are appended to <see cref="Points"/> and passed to the
/// optional sink (a loss point alone, an evaluation's points together), on the caller's thread: nothing is locked and nothing
/// waits. Not thread-safe (one training thread).
/// </summary>
public sealed class CurveRecorder
{
    /// <summary>Loss points a curve holds at most (about), whatever the run's length: the interval is chosen for it.</summary>
    public const int TargetLossPoints = 200;

    private readonly List<CurvePoint> _points = [];
    private readonly Action<IReadOnlyList<CurvePoint>>? _sink;
    private readonly Func<double> _seconds;
    private readonly double _stepsPerEpoch;
    private double _sum;
    private int _count;
    private long _lastStep;

    /// <summary>Starts a curve for a run of <paramref name="totalSteps"/> optimizer steps.</summary>
    /// <param name="totalSteps">Optimizer steps planned (≥ 0; the logging interval is derived from it).</param>
    /// <param name="stepsPerEpoch">Optimizer steps per epoch (≥ 1), for the fractional <see cref="CurvePoint.Epoch"/>.</param>
    /// <param name="sink">Receives the new points as they are made (one loss point, or every metric of one evaluation), in order;
    /// may be null.</param>
    /// <param name="seconds">Seconds since training started; null = a wall clock started now.</param>
    /// <exception cref="ArgumentOutOfRangeException">Negative total steps or fewer than one step per epoch.</exception>
    public CurveRecorder(long totalSteps, int stepsPerEpoch, Action<IReadOnlyList<CurvePoint>>? sink = null, Func<double>? seconds = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(totalSteps);
        ArgumentOutOfRangeException.ThrowIfLessThan(stepsPerEpoch, 1);
        Interval = LoggingInterval(totalSteps);
        _stepsPerEpoch = stepsPerEpoch;
        _sink = sink;
        if (seconds is null)
        {
            var clock = Stopwatch.StartNew();
            seconds = () => clock.Elapsed.TotalSeconds;
        }
        _seconds = seconds;
    }

    /// <summary>The logging interval <c>max(1, ⌈totalSteps / 200⌉)</c> optimizer steps (<see cref="TargetLossPoints"/>).</summary>
    /// <param name="totalSteps">Optimizer steps planned.</param>
    public static long LoggingInterval(long totalSteps) => Math.Max(1, (totalSteps + TargetLossPoints - 1) / TargetLossPoints);

    /// <summary>Optimizer steps per loss point.</summary>
    public long Interval { get; }

    /// <summary>Every point made so far, in order.</summary>
    public IReadOnlyList<CurvePoint> Points => _points;

    /// <summary>Records the loss of optimizer step <paramref name="step"/> (1-based, increasing); emits a loss point when the step
    /// closes a logging interval (<c>step % Interval == 0</c>).</summary>
    /// <param name="step">Optimizer steps done, this one included.</param>
    /// <param name="loss">The step's training loss.</param>
    public void AddLoss(long step, double loss)
    {
        _sum += loss;
        _count++;
        _lastStep = step;
        if (step % Interval == 0) FlushLoss();
    }

    /// <summary>Emits one evaluation point per metric of <paramref name="metrics"/> (in its order) after <paramref name="epoch"/>
    /// whole epochs, at the current step; a pending partial loss interval stays open.</summary>
    /// <param name="epoch">Epochs done (1-based epoch just evaluated).</param>
    /// <param name="metrics">The evaluation's dev metrics by name.</param>
    public void AddEvaluation(int epoch, IReadOnlyDictionary<string, double> metrics)
    {
        var seconds = _seconds();
        Add(metrics.Select(m => new CurvePoint
        {
            Kind = CurveKind.Evaluation, Step = _lastStep, Epoch = epoch, Seconds = seconds, Name = m.Key, Value = m.Value,
        }).ToArray());
    }

    /// <summary>Emits the last, partial logging interval's loss point, if it holds any step (call once training stops, however
    /// it stops).</summary>
    public void FlushLoss()
    {
        if (_count == 0) return;
        Add([new CurvePoint
        {
            Kind = CurveKind.Loss, Step = _lastStep, Epoch = _lastStep / _stepsPerEpoch, Seconds = _seconds(), Name = "loss",
            Value = _sum / _count,
        }]);
        _sum = 0;
        _count = 0;
    }

    private void Add(CurvePoint[] points)
    {
        if (points.Length == 0) return;
        _points.AddRange(points);
        _sink?.Invoke(points);
    }
}
