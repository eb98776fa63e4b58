namespace PeftGrid.Contracts.Trials;

/// <summary>What a <see cref="CurvePoint"/> measures. Values are persisted: append only.</summary>
public enum CurveKind
{
    /// <summary>Training loss: the mean of the per-step losses of one logging interval (HF Trainer's <c>loss</c> log).</summary>
    Loss = 0,
    /// <summary>A dev metric of one evaluation (after an epoch), e.g. <c>accuracy</c>, <c>rouge2</c>, <c>loss</c>.</summary>
    Evaluation = 1,
}

/// <summary>
/// One point of a trial's training curve: a training-loss point per logging step, and one point per dev metric per evaluation.
/// The trainer logs every <c>max(1, ⌈total steps / 200⌉)</c> optimizer steps, so a curve holds at most about 200 loss points
/// whatever the run's length.
/// </summary>
[GenerateSerializer, Immutable, Alias("peftgrid.CurvePoint")]
public sealed record CurvePoint
{
    /// <summary>Loss or evaluation.</summary>
    [Id(0)] public CurveKind Kind { get; init; }
    /// <summary>Optimizer steps done when the point was taken (1-based; the last step of the logging interval).</summary>
    [Id(1)] public long Step { get; init; }
    /// <summary>Epochs done as a fraction, e.g. 1.5 halfway through the second epoch (an evaluation point: the whole epoch).</summary>
    [Id(2)] public double Epoch { get; init; }
    /// <summary>Seconds since training started (wall time).</summary>
    [Id(3)] public double Seconds { get; init; }
    /// <summary>Metric name: <c>loss</c> for <see cref="CurveKind.Loss"/>; the dev metric's name (catalog name, e.g. <c>accuracy</c>,
    /// <c>rouge2</c>, <c>loss</c>) for <see cref="CurveKind.Evaluation"/>.</summary>
    [Id(4)] public string Name { get; init; } = "loss";
    /// <summary>The value (accuracy as a fraction in [0, 1]; ROUGE/BLEU in points; loss in nats per token). May be NaN.</summary>
    [Id(5)] public double Value { get; init; }
}
