using System.Diagnostics;
using PeftGrid.Contracts.Trials;
using PeftGrid.Models;
using PeftGrid.Models.Bert;
using PeftGrid.Tasks.Batching;
using PeftGrid.Tasks.Data;
using PeftGrid.Tasks.Text;
using PeftGrid.Tasks.Training;
using TorchSharp;

namespace PeftGrid.Tasks.Runner;

/// <summary>
/// Runs one GLUE trial in this process: validate (<see cref="TrialPlan"/>), read and tokenize the splits,
/// seed torch, load the pretrained classifier, apply the PEFT configuration, train with <see cref="Trainer"/>
/// and score the best epoch. Never throws for a bad cell: validation errors and exceptions become a
/// <see cref="TrialStatus.Failed"/> result with the reason. Trials in one process run one at a time
/// (<see cref="Gate"/>): torch's random generator is process-global, so concurrent trials would interleave their
/// dropout draws and break "same seed, same metrics".
/// </summary>
public static class TrialExecutor
{
    /// <summary>Serializes trials within a process (torch's RNG and thread pool are process-global).</summary>
    public static readonly object Gate = new();

    /// <summary>Runs <paramref name="spec"/>.</summary>
    /// <param name="spec">The cell.</param>
    /// <param name="dataRoot">Data root, or null for the default (<see cref="Data.DataRoot"/>).</param>
    /// <param name="device">Torch device string (<c>cpu</c>, <c>cuda:0</c>).</param>
    /// <param name="onStep">Called after every optimizer step; may be null.</param>
    /// <param name="cancellationToken">Stops training between steps (status Cancelled).</param>
    /// <param name="threads">Intra-op threads for libtorch; null = the processor count. Fixed threads keep runs reproducible.</param>
    public static TrialExecution Execute(TrialSpec spec, string? dataRoot, string device = "cpu",
        Action<TrainStepInfo>? onStep = null, CancellationToken cancellationToken = default, int? threads = null)
    {
        var clock = Stopwatch.StartNew();
        TrialPlan plan;
        try
        {
            plan = TrialPlan.Create(spec, dataRoot);
        }
        catch (Exception e)
        {
            return new TrialExecution { Result = Failed(spec, e.Message, clock) };
        }

        SequenceClassifier? model = null;
        Monitor.Enter(Gate);
        try
        {
            using var meter = PeakMemoryMeter.Start();
            var profile = spec.Profile;
            var encoder = WordPieceEncoder.MiniLm();
            var train = GlueTsvReader.ReadTrain(plan.DataRoot, plan.Task);
            var dev = GlueTsvReader.ReadDev(plan.DataRoot, plan.Task);
            if (profile.MaxTrainExamples is { } n && n < train.Count)
            {
                var shuffled = train.ToArray();
                new Random(spec.Seed).Shuffle(shuffled);
                train = shuffled.Take(n).ToList();
            }
            if (profile.MaxEvalExamples is { } v && v < dev.Count) dev = dev.Take(v).ToList();
            var trainSet = encoder.EncodeAll(train, profile.MaxLength);
            var devSet = encoder.EncodeAll(dev, profile.MaxLength);

            torch.set_num_threads(threads ?? Environment.ProcessorCount);
            var torchDevice = torch.device(device);
            torch.manual_seed(spec.Seed);
            model = ModelLoader.LoadClassifier(spec.Model, plan.Task.NumLabels);
            model.ApplyPeft(plan.Config);
            model.to(torchDevice);
            var trainable = model.TrainableParameters().Select(p => (p.Name, p.Parameter)).ToList();
            var options = new TrainerOptions
            {
                Epochs = profile.Epochs, BatchSize = profile.BatchSize, LearningRate = plan.LearningRate, Seed = spec.Seed,
                ModuleLearningRates = new Dictionary<string, double> { [LearningRateDefaults.PrefixEncoderModule] = plan.PrefixLearningRate },
            };
            var outcome = Trainer.Train(model, trainable,
                new LengthBucketedBatcher(trainSet, profile.BatchSize, encoder.PadId),
                new LengthBucketedBatcher(devSet, options.EvalBatchSize, encoder.PadId), devSet.Count,
                options, torchDevice, onStep, cancellationToken: cancellationToken);

            var budget = model.CountedBudget();
            var status = outcome.Status switch
            {
                TrainStatus.Completed => TrialStatus.Succeeded,
                TrainStatus.Diverged => TrialStatus.Diverged,
                _ => TrialStatus.Cancelled,
            };
            var result = Base(spec, plan) with
            {
                Budget = new BudgetReport
                {
                    PaperCount = budget.PaperCount, TrainableCount = budget.TrainableCount,
                    TotalCount = budget.TotalCount, Percent = budget.Percent,
                },
                Status = status,
                Metrics = outcome.BestEpoch > 0 ? new Dictionary<string, double> { ["accuracy"] = outcome.BestAccuracy } : new Dictionary<string, double>(),
                BestEpoch = outcome.BestEpoch,
                DivergedAtStep = outcome.DivergedAtStep,
                SkippedSteps = outcome.SkippedSteps,
                TrainSeconds = clock.Elapsed.TotalSeconds,
                ExamplesPerSecond = outcome.ExamplesPerSecond,
                PeakMemoryBytes = meter.PeakBytes,
                Error = status switch
                {
                    TrialStatus.Diverged => outcome.DivergenceReason,
                    TrialStatus.Cancelled => "cancelled",
                    _ => null,
                },
            };
            var training = new Dictionary<string, object?>
            {
                ["learningRate"] = plan.LearningRate,
                ["prefixLearningRate"] = trainable.Any(p => OptimizerFactory.IsIn(p.Name, LearningRateDefaults.PrefixEncoderModule)) ? plan.PrefixLearningRate : null,
                ["epochs"] = profile.Epochs,
                ["batchSize"] = profile.BatchSize,
                ["maxLength"] = profile.MaxLength,
                ["trainExamples"] = trainSet.Count,
                ["evalExamples"] = devSet.Count,
                ["evalFile"] = Path.Combine(plan.Task.Folder, plan.Task.DevFile),
                ["steps"] = outcome.Steps,
                ["epochAccuracies"] = outcome.EpochAccuracies,
                ["finalTrainLoss"] = double.IsFinite(outcome.FinalLoss) ? outcome.FinalLoss : null,
                ["trainOnlySeconds"] = outcome.TrainSeconds,
                ["tokensPerSecond"] = outcome.TokensPerSecond,
                ["baselineMemoryBytes"] = meter.BaselineBytes,
                ["threads"] = torch.get_num_threads(),
                ["weightDecay"] = options.WeightDecay,
                ["warmupRatio"] = options.WarmupRatio,
                ["maxGradNorm"] = options.MaxGradNorm,
                ["maxConsecutiveSkippedSteps"] = options.MaxConsecutiveSkippedSteps,
            };
            return new TrialExecution { Result = result, Plan = plan, Model = model, Training = training };
        }
        catch (Exception e)
        {
            model?.Dispose();
            return new TrialExecution { Result = Failed(spec, e.Message, clock, plan), Plan = plan };
        }
        finally
        {
            Monitor.Exit(Gate);
        }
    }

    private static TrialResult Base(TrialSpec spec, TrialPlan? plan) => new()
    {
        CellId = spec.CellId,
        Task = spec.Task,
        Model = spec.Model,
        Method = plan?.Config.Spec ?? spec.Method,
        Modifications = plan?.Modifications() ?? [],
        Seed = spec.Seed,
        BudgetTier = spec.BudgetPercent,
        Versions = RuntimeVersions.Get(),
    };

    private static TrialResult Failed(TrialSpec spec, string reason, Stopwatch clock, TrialPlan? plan = null) => Base(spec, plan) with
    {
        Status = TrialStatus.Failed,
        Error = reason.ReplaceLineEndings(" "),
        TrainSeconds = clock.Elapsed.TotalSeconds,
    };
}
