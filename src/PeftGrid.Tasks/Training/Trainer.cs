using System.Diagnostics;
using PeftGrid.Tasks.Batching;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PeftGrid.Tasks.Training;

/// <summary>
/// Fine-tunes a sequence classifier <c>forward(inputIds, tokenTypeIds, attentionMask) → logits [B, C]</c>:
/// cross-entropy, AdamW with decoupled weight decay in two groups (<see cref="OptimizerFactory"/>),
/// linear warmup then linear decay (<see cref="LinearWarmupSchedule"/>), global gradient-norm clipping,
/// seeded length-bucketed batches, dev evaluation at each epoch end and the best epoch's trainable
/// parameters restored at the end. A NaN/inf loss stops the run as <see cref="TrainStatus.Diverged"/>.
/// Dropout lives in the model (train mode during training). Each step runs in its own dispose scope.
/// </summary>
public static class Trainer
{
    /// <summary>Trains <paramref name="model"/> and returns the outcome (never throws for a diverging loss).</summary>
    /// <param name="model">The classifier; only <paramref name="trainable"/> are updated.</param>
    /// <param name="trainable">Named parameters to optimize (frozen ones are skipped).</param>
    /// <param name="train">Batcher over the training examples.</param>
    /// <param name="dev">Batcher over the evaluation split.</param>
    /// <param name="devCount">Number of evaluation examples.</param>
    /// <param name="options">Optimization settings.</param>
    /// <param name="device">Device of the model.</param>
    /// <param name="onStep">Called after every optimizer step; may be null.</param>
    /// <param name="onEpoch">Called after every epoch's evaluation with (1-based epoch, dev accuracy); may be null.</param>
    /// <param name="cancellationToken">Stops between steps; the outcome is then <see cref="TrainStatus.Cancelled"/>.</param>
    /// <exception cref="ArgumentException">No trainable parameters or fewer than one epoch.</exception>
    public static TrainOutcome Train(
        nn.Module<Tensor, Tensor, Tensor, Tensor> model, IReadOnlyList<(string Name, Parameter Parameter)> trainable,
        LengthBucketedBatcher train, LengthBucketedBatcher dev, int devCount, TrainerOptions options, Device device,
        Action<TrainStepInfo>? onStep = null, Action<int, double>? onEpoch = null, CancellationToken cancellationToken = default)
    {
        if (options.Epochs < 1) throw new ArgumentException($"epochs must be at least 1 (got {options.Epochs})");
        var parameters = trainable.Where(p => p.Parameter.requires_grad).ToList();
        using var optimizer = OptimizerFactory.Create(parameters, options);
        var schedule = new LinearWarmupSchedule((long)options.Epochs * train.BatchesPerEpoch, options.WarmupRatio);
        var groups = optimizer.ParamGroups.ToList();
        var baseRates = groups.Select(g => g.LearningRate).ToList();

        var accuracies = new List<double>();
        var best = (Epoch: 0, Accuracy: double.NaN);
        List<Tensor>? bestSnapshot = null;
        var window = new Queue<double>();
        long step = 0, examples = 0, tokens = 0;
        var trainClock = new Stopwatch();
        var totalClock = Stopwatch.StartNew();
        var status = TrainStatus.Completed;
        long? divergedAt = null;
        double epochLoss = double.NaN;

        model.train();
        try
        {
            for (var epoch = 0; epoch < options.Epochs && status == TrainStatus.Completed; epoch++)
            {
                double lossSum = 0;
                var lossCount = 0;
                foreach (var indices in train.TrainOrder(options.Seed, epoch))
                {
                    if (cancellationToken.IsCancellationRequested) { status = TrainStatus.Cancelled; break; }
                    trainClock.Start();
                    using (var scope = torch.NewDisposeScope())
                    {
                        var batch = train.Collate(indices);
                        var (ids, types, mask, labels) = batch.ToTensors(device);
                        var logits = model.forward(ids, types, mask);
                        var loss = nn.functional.cross_entropy(logits, labels);
                        var lossValue = loss.item<float>();
                        if (!float.IsFinite(lossValue))
                        {
                            trainClock.Stop();
                            status = TrainStatus.Diverged;
                            divergedAt = step + 1;
                            break;
                        }
                        optimizer.zero_grad();
                        loss.backward();
                        if (options.MaxGradNorm > 0) nn.utils.clip_grad_norm_(parameters.Select(p => p.Parameter), options.MaxGradNorm);
                        var factor = schedule.Factor(step);
                        for (var g = 0; g < groups.Count; g++) groups[g].LearningRate = baseRates[g] * factor;
                        optimizer.step();
                        step++;
                        examples += batch.Size;
                        tokens += batch.TokenCount;
                        lossSum += lossValue;
                        lossCount++;
                        window.Enqueue(lossValue);
                        if (window.Count > 20) window.Dequeue();
                    }
                    trainClock.Stop();
                    onStep?.Invoke(new TrainStepInfo(step, schedule.TotalSteps, epoch + 1, window.Average(),
                        examples / Math.Max(1e-9, trainClock.Elapsed.TotalSeconds), baseRates[0] * schedule.Factor(step - 1)));
                }
                epochLoss = lossCount > 0 ? lossSum / lossCount : double.NaN;
                if (status != TrainStatus.Completed) break;

                var (accuracy, _) = Evaluator.Evaluate(model, dev, device, devCount);
                accuracies.Add(accuracy);
                onEpoch?.Invoke(epoch + 1, accuracy);
                if (best.Epoch == 0 || accuracy > best.Accuracy)
                {
                    best = (epoch + 1, accuracy);
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
        }
        finally
        {
            Dispose(bestSnapshot);
            model.train(false);
        }

        var seconds = Math.Max(1e-9, trainClock.Elapsed.TotalSeconds);
        return new TrainOutcome
        {
            Status = status, EpochAccuracies = accuracies, BestEpoch = best.Epoch, BestAccuracy = best.Accuracy,
            Steps = step, DivergedAtStep = divergedAt, TrainSeconds = trainClock.Elapsed.TotalSeconds,
            TotalSeconds = totalClock.Elapsed.TotalSeconds, ExamplesPerSecond = examples / seconds,
            TokensPerSecond = tokens / seconds, FinalLoss = epochLoss,
        };
    }

    private static List<Tensor> Snapshot(List<(string Name, Parameter Parameter)> parameters)
    {
        using var noGrad = torch.no_grad();
        return parameters.Select(p => p.Parameter.detach().clone().DetachFromDisposeScope()).ToList();
    }

    private static void Restore(List<(string Name, Parameter Parameter)> parameters, List<Tensor> snapshot)
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
