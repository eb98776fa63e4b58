using System.Diagnostics;
using PeftGrid.Contracts.Trials;
using PeftGrid.Models.Runtime;
using PeftGrid.Peft.Adapters;
using PeftGrid.Tasks.Pipeline;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PeftGrid.Tasks.Training;

/// <summary>
/// Fine-tunes a model on a task (<see cref="ITaskData{TModel}"/>: seeded batches, the loss of a batch, the dev metrics):
/// AdamW with decoupled weight decay, groups by parameter role and rank (<see cref="OptimizerFactory"/>),
/// linear warmup then linear decay (<see cref="LinearWarmupSchedule"/>), global gradient-norm clipping,
/// dev evaluation at each epoch end and the best epoch's trainable parameters (by the task's selection metric,
/// <see cref="ITaskData{TModel}.SelectionMetric"/>: its primary metric, higher is better, unless it selects by a loss) restored at
/// the end, then the task's final evaluation on them (<see cref="ITaskData{TModel}.FinalEvaluate"/>). A NaN/inf loss stops the run as <see cref="TrainStatus.Diverged"/>.
/// A finite loss with a NaN/inf gradient norm skips that step's update (<see cref="GuardedStep"/>: parameters and
/// AdamW moments unchanged); the learning-rate schedule still advances, since it is indexed by batch (so the planned
/// decay to 0 at the last batch holds whatever is skipped). Skips are counted (<see cref="TrainOutcome.SkippedSteps"/>),
/// and <see cref="TrainerOptions.MaxConsecutiveSkippedSteps"/> skips in a row end the run as diverged.
/// Dropout lives in the model (train mode during training). Each step runs in its own dispose scope.
/// The training curve (<see cref="CurveRecorder"/>: the mean loss of every logging interval, every dev metric of every epoch's
/// evaluation) is built from the per-step loss already read to the host, and returned in <see cref="TrainOutcome.Curve"/>.
/// Mixed precision (<see cref="TrainerOptions.Precision"/> bf16/fp16): the task's loss forward and every evaluation (generation
/// included) run under <see cref="Autocast"/> on this thread; backward and the AdamW step run outside it on the float32 master
/// parameters. fp16 scales the loss (<see cref="DynamicLossScale"/>): a step whose unscaled gradients overflow is skipped, counted in
/// <see cref="TrainOutcome.OverflowSkippedSteps"/> and not toward <see cref="TrainerOptions.MaxConsecutiveSkippedSteps"/>.
/// </summary>
public static class Trainer
{
    /// <summary>Trains <paramref name="model"/> on <paramref name="data"/> and returns the outcome (never throws for a diverging loss).</summary>
    /// <typeparam name="TModel">The model type the task trains.</typeparam>
    /// <param name="model">The model; only <paramref name="trainable"/> are updated.</param>
    /// <param name="trainable">Parameters to optimize with their names and roles (frozen ones are skipped); the role picks the
    /// learning rate and the rank the weight decay (<see cref="OptimizerFactory"/>).</param>
    /// <param name="data">The task's splits: batches, loss and evaluation.</param>
    /// <param name="options">Optimization settings (<see cref="TrainerOptions.Seed"/> orders the batches).</param>
    /// <param name="device">Device of the model.</param>
    /// <param name="onStep">Called after every optimizer step; may be null.</param>
    /// <param name="onCurvePoints">Called with the new training-curve points as they are made (one loss point, or the metrics of one
    /// evaluation), in order, on the training thread (<see cref="CurveRecorder"/>); keep it cheap (append to a list); may be null.</param>
    /// <param name="cancellationToken">Stops between steps; the outcome is then <see cref="TrainStatus.Cancelled"/>.</param>
    /// <exception cref="ArgumentException">No trainable parameters, fewer than one epoch, or
    /// <see cref="TrainerOptions.MaxConsecutiveSkippedSteps"/> below 1.</exception>
    /// <exception cref="InvalidOperationException">The task's evaluation lacks its selection metric.</exception>
    public static TrainOutcome Train<TModel>(
        TModel model, IReadOnlyList<(string Name, Parameter Parameter, ParameterRole Role)> trainable, ITaskData<TModel> data,
        TrainerOptions options, Device device, Action<TrainStepInfo>? onStep = null, Action<IReadOnlyList<CurvePoint>>? onCurvePoints = null,
        CancellationToken cancellationToken = default) where TModel : nn.Module
    {
        if (options.Epochs < 1) throw new ArgumentException($"epochs must be at least 1 (got {options.Epochs})");
        if (options.MaxConsecutiveSkippedSteps < 1)
        {
            throw new ArgumentException($"max consecutive skipped steps must be at least 1 (got {options.MaxConsecutiveSkippedSteps})");
        }
        var parameters = trainable.Where(p => p.Parameter.requires_grad).ToList();
        var tensors = parameters.Select(p => p.Parameter).ToList();
        using var optimizer = OptimizerFactory.Create(parameters, options);
        var schedule = new LinearWarmupSchedule((long)options.Epochs * data.BatchesPerEpoch, options.WarmupRatio,
            options.EndLearningRate / options.LearningRate);
        var groups = optimizer.ParamGroups.ToList();
        var baseRates = groups.Select(g => g.LearningRate).ToList();

        var scores = new List<double>();
        var epochMetrics = new List<IReadOnlyDictionary<string, double>>();
        var lowerIsBetter = data.SelectionLowerIsBetter;
        var best = (Epoch: 0, Score: double.NaN, Metrics: (IReadOnlyDictionary<string, double>)new Dictionary<string, double>());
        List<Tensor>? bestSnapshot = null;
        var window = new Queue<double>();
        long step = 0, examples = 0, tokens = 0, skipped = 0, consecutiveSkips = 0;
        var autocast = options.AutocastDtype;
        var scaler = options.Precision == TrainingPrecision.Fp16 ? new DynamicLossScale(options.InitialLossScale) : null;
        string? divergence = null;
        var trainClock = new Stopwatch();
        var totalClock = Stopwatch.StartNew();
        var status = TrainStatus.Completed;
        long? divergedAt = null;
        double epochLoss = double.NaN;
        var curve = new CurveRecorder(schedule.TotalSteps, data.BatchesPerEpoch, onCurvePoints, () => totalClock.Elapsed.TotalSeconds);

        model.train();
        try
        {
            for (var epoch = 0; epoch < options.Epochs && status == TrainStatus.Completed; epoch++)
            {
                double lossSum = 0;
                var lossCount = 0;
                foreach (var indices in data.TrainOrder(options.Seed, epoch))
                {
                    if (cancellationToken.IsCancellationRequested) { status = TrainStatus.Cancelled; break; }
                    float lossValue;
                    trainClock.Start();
                    using (var scope = torch.NewDisposeScope())
                    {
                        Tensor loss;
                        int batchExamples;
                        long batchTokens;
                        using (Autocast.EnterIf(device.type, autocast)) (loss, batchExamples, batchTokens) = data.Loss(model, indices, device);
                        lossValue = loss.item<float>();
                        if (!float.IsFinite(lossValue))
                        {
                            trainClock.Stop();
                            status = TrainStatus.Diverged;
                            divergedAt = step + 1;
                            divergence = $"loss became NaN/inf at step {divergedAt}";
                            break;
                        }
                        optimizer.zero_grad();
                        (scaler?.ScaleLoss(loss) ?? loss).backward();
                        var factor = schedule.Factor(step);
                        for (var g = 0; g < groups.Count; g++) groups[g].LearningRate = baseRates[g] * factor;
                        var overflow = scaler is not null && !scaler.Unscale(tensors);
                        scaler?.Update(overflow);
                        step++;
                        if (!overflow)
                        {
                            var applied = GuardedStep(optimizer, tensors, options.MaxGradNorm).Applied;
                            consecutiveSkips = applied ? 0 : consecutiveSkips + 1;
                            if (!applied) skipped++;
                        }
                        examples += batchExamples;
                        tokens += batchTokens;
                        lossSum += lossValue;
                        lossCount++;
                        window.Enqueue(lossValue);
                        if (window.Count > 20) window.Dequeue();
                    }
                    trainClock.Stop();
                    curve.AddLoss(step, lossValue);
                    onStep?.Invoke(new TrainStepInfo(step, schedule.TotalSteps, epoch + 1, window.Average(),
                        examples / Math.Max(1e-9, trainClock.Elapsed.TotalSeconds), options.LearningRate * schedule.Factor(step - 1), skipped));
                    if (consecutiveSkips >= options.MaxConsecutiveSkippedSteps)
                    {
                        status = TrainStatus.Diverged;
                        divergedAt = step;
                        divergence = $"gradient norm was NaN/inf in {consecutiveSkips} consecutive steps up to step {step} "
                            + $"({skipped} steps skipped in all)";
                        break;
                    }
                }
                epochLoss = lossCount > 0 ? lossSum / lossCount : double.NaN;
                if (status != TrainStatus.Completed || epoch == options.Epochs - 1) curve.FlushLoss(); // the last, partial interval
                if (status != TrainStatus.Completed) break;

                IReadOnlyDictionary<string, double> metrics;
                using (Autocast.EnterIf(device.type, autocast)) metrics = data.Evaluate(model, device);
                var score = metrics.TryGetValue(data.SelectionMetric, out var value) ? value
                    : throw new InvalidOperationException($"the task's evaluation has no '{data.SelectionMetric}' (its selection metric); it has: {string.Join(", ", metrics.Keys)}");
                scores.Add(score);
                epochMetrics.Add(metrics);
                curve.AddEvaluation(epoch + 1, metrics);
                if (best.Epoch == 0 || (lowerIsBetter ? score < best.Score : score > best.Score))
                {
                    best = (epoch + 1, score, metrics);
                    if (options.Epochs > 1 && epoch + 1 < options.Epochs)
                    {
                        Dispose(bestSnapshot);
                        bestSnapshot = Snapshot(parameters);
                    }
                    else
                    {
                        Dispose(bestSnapshot);
                        bestSnapshot = null; // the current weights are the best: nothing to restore
                    }
                }
            }
            if (bestSnapshot is not null) Restore(parameters, bestSnapshot);
            if (best.Epoch > 0 && status == TrainStatus.Completed)
            {
                using (Autocast.EnterIf(device.type, autocast)) best.Metrics = data.FinalEvaluate(model, device, best.Metrics);
            }
        }
        finally
        {
            Dispose(bestSnapshot);
            model.train(false);
        }

        var seconds = Math.Max(1e-9, trainClock.Elapsed.TotalSeconds);
        return new TrainOutcome
        {
            Status = status, PrimaryMetric = data.PrimaryMetric, SelectionMetric = data.SelectionMetric, EpochScores = scores,
            EpochMetrics = epochMetrics, BestEpoch = best.Epoch, BestScore = best.Score, BestMetrics = best.Metrics,
            Steps = step, SkippedSteps = skipped, OverflowSkippedSteps = scaler?.OverflowSteps ?? 0, FinalLossScale = scaler?.Scale,
            DivergedAtStep = divergedAt, DivergenceReason = divergence,
            TrainSeconds = trainClock.Elapsed.TotalSeconds,
            TotalSeconds = totalClock.Elapsed.TotalSeconds, ExamplesPerSecond = examples / seconds,
            TokensPerSecond = tokens / seconds, FinalLoss = epochLoss, Curve = curve.Points,
        };
    }

    /// <summary>
    /// One update, unless the gradients are not finite: computes the global L2 norm of the gradients of
    /// <paramref name="parameters"/> (<see cref="GradNorm"/>); when it is NaN or infinite nothing is touched — parameters,
    /// gradients, AdamW moments and step counts stay as they are — and the result is <c>Applied = false</c>. Otherwise
    /// the gradients are clipped to <paramref name="maxGradNorm"/> (<c>torch.nn.utils.clip_grad_norm_</c>; ≤ 0 disables
    /// clipping) and <paramref name="optimizer"/> steps.
    /// </summary>
    /// <returns>Whether the update was applied, and the gradient norm before clipping.</returns>
    public static (bool Applied, double GradNorm) GuardedStep(torch.optim.Optimizer optimizer, IReadOnlyList<Parameter> parameters, double maxGradNorm)
    {
        var norm = GradNorm(parameters);
        if (!double.IsFinite(norm)) return (false, norm);
        if (maxGradNorm > 0) nn.utils.clip_grad_norm_(parameters, maxGradNorm);
        optimizer.step();
        return (true, norm);
    }

    /// <summary>The global L2 norm √(Σ‖g‖²) over the gradients of <paramref name="parameters"/> (those without a gradient
    /// are skipped; 0 when none has one), computed in the gradients' precision: NaN or +∞ when any entry is non-finite
    /// (or the sum of squares overflows).</summary>
    public static double GradNorm(IEnumerable<Parameter> parameters)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var norms = parameters.Select(p => p.grad).OfType<Tensor>().Select(g => g.norm()).ToList();
        return norms.Count == 0 ? 0.0 : torch.stack(norms).norm().to(ScalarType.Float64).item<double>();
    }

    private static List<Tensor> Snapshot(List<(string Name, Parameter Parameter, ParameterRole Role)> parameters)
    {
        using var noGrad = torch.no_grad();
        return parameters.Select(p => p.Parameter.detach().clone().DetachFromDisposeScope()).ToList();
    }

    private static void Restore(List<(string Name, Parameter Parameter, ParameterRole Role)> parameters, List<Tensor> snapshot)
    {
        using var noGrad = torch.no_grad();
        for (var i = 0; i < parameters.Count; i++) parameters[i].Parameter.copy_(snapshot[i]);
    }

    private static void Dispose(List<Tensor>? tensors)
    {
        if (tensors is null) return;
        foreach (var t in tensors) t.Dispose();
        tensors.Clear();
    }
}
