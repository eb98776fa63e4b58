using System.Diagnostics;
using PeftGrid.Contracts.Trials;
using PeftGrid.Models.Runtime;
using PeftGrid.Peft.Adapters;
using PeftGrid.Peft.Catalog;
using PeftGrid.Tasks.Runner;
using PeftGrid.Tasks.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace PeftGrid.Tasks.Pipeline;

/// <summary>
/// Runs one trial of a task kind in this process from two injected parts: the task definition reads and tokenizes the splits
/// and knows the loss and the metrics; the model factory loads the pretrained model with what the task needs and applies the
/// configuration. In between, the executor seeds torch with the trial's seed, moves the model to the device, trains with
/// <see cref="Trainer"/> (per-role rates from the plan; the profile's precision: autocast, and with
/// <see cref="TrainingProfile.LowPrecisionBase"/> the frozen base stored in the low dtype after PEFT is applied and before the trainable
/// parameters are collected, <see cref="LowPrecisionBase"/>), and writes the result with its <see cref="TrainingDetails"/> and training curve. Holds
/// <see cref="TorchProcessState.Gate"/> while it uses torch's process-global random state.
/// </summary>
/// <typeparam name="TModel">The model the task trains.</typeparam>
/// <param name="task">How the task reads, batches, computes its loss and evaluates.</param>
/// <param name="models">How the model is built for a plan.</param>
public sealed class TrialExecutor<TModel>(ITaskDefinition<TModel> task, IModelFactory<TModel> models) : ITrialExecutor
    where TModel : nn.Module, IPeftModel
{
    /// <inheritdoc />
    public TaskKind Kind => task.Kind;

    /// <inheritdoc />
    public TrialExecution Execute(TrialPlan plan, TrialRunOptions run)
    {
        var clock = Stopwatch.StartNew();
        var spec = plan.Spec;
        TModel? model = null;
        using var gate = TorchProcessState.Gate.EnterScope();
        try
        {
            using var meter = PeakMemoryMeter.Start();
            var data = task.Load(plan);
            TorchRuntime.Initialize(run.Threads); // BLAS dispatch (before the first GEMM) and threads
            var device = torch.device(run.Device);
            torch.manual_seed(spec.Seed);
            model = models.Create(plan);
            model.to(device);
            var options = task.Options(plan) with { Precision = spec.Profile.Precision };
            if (options.AutocastDtype is { } dtype)
            {
                PrecisionSupport.Check(device.type, dtype);
                if (spec.Profile.LowPrecisionBase) LowPrecisionBase.Apply(model, dtype);
            }
            var trainable = model.TrainableParameters().ToList();
            var outcome = Trainer.Train(model, trainable, data, options, device, run.OnStep, run.OnCurvePoints, run.CancellationToken);

            var budget = model.CountedBudget();
            var status = outcome.Status switch
            {
                TrainStatus.Completed => TrialStatus.Succeeded,
                TrainStatus.Diverged => TrialStatus.Diverged,
                _ => TrialStatus.Cancelled,
            };
            var result = TrialResults.Base(spec, plan) with
            {
                Budget = new BudgetReport
                {
                    PaperCount = budget.PaperCount, TrainableCount = budget.TrainableCount,
                    TotalCount = budget.TotalCount, Percent = budget.Percent,
                },
                Status = status,
                Metrics = outcome.BestMetrics,
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
                Training = Details(plan, data, options, outcome, meter.BaselineBytes, trainable.Any(p => p.Role == ParameterRole.PrefixEncoder)),
                Generation = data.Generation,
                Curve = outcome.Curve,
            };
            return new TrialExecution { Result = result, Plan = plan, Model = model };
        }
        catch (Exception e)
        {
            model?.Dispose();
            return new TrialExecution { Result = TrialResults.Failed(spec, e.Message, clock.Elapsed, plan), Plan = plan };
        }
    }

    // Stub until the blas helper's PrecisionSupport.Check(DeviceType, ScalarType) is merged: it throws a one-line ArgumentException
    // when the precision has no fast kernel on this device (CPU fp16 without AVX512_FP16/AMX-FP16, CPU bf16 without AVX-512).
    private static TrainingDetails Details(TrialPlan plan, ITaskData<TModel> data, TrainerOptions options, TrainOutcome outcome,
        long baselineBytes, bool trainsPrefixEncoder) => new()
    {
        LearningRate = plan.LearningRate,
        PrefixLearningRate = trainsPrefixEncoder ? plan.PrefixLearningRate : null,
        Epochs = options.Epochs,
        BatchSize = options.BatchSize,
        MaxLength = plan.Spec.Profile.MaxLength,
        MaxTargetLength = plan.MaxTargetLength,
        MaxTokensPerBatch = plan.MaxTokensPerBatch,
        TrainExamples = data.TrainCount,
        EvalExamples = data.EvalCount,
        EvalFile = data.EvalFile,
        Steps = outcome.Steps,
        EpochAccuracies = outcome.EpochMetrics.Where(m => m.ContainsKey(data.PrimaryMetric)).Select(m => m[data.PrimaryMetric]).ToList(),
        EpochSelectionScores = outcome.EpochScores,
        SelectionMetric = outcome.SelectionMetric,
        SelectionLowerIsBetter = data.SelectionLowerIsBetter,
        FinalTrainLoss = double.IsFinite(outcome.FinalLoss) ? outcome.FinalLoss : null,
        TrainOnlySeconds = outcome.TrainSeconds,
        TokensPerSecond = outcome.TokensPerSecond,
        BaselineMemoryBytes = baselineBytes,
        Threads = torch.get_num_threads(),
        WeightDecay = options.WeightDecay,
        WarmupRatio = options.WarmupRatio,
        MaxGradNorm = options.MaxGradNorm,
        MaxConsecutiveSkippedSteps = options.MaxConsecutiveSkippedSteps,
        Beta1 = options.Beta1,
        Beta2 = options.Beta2,
        Epsilon = options.Epsilon,
        LabelSmoothing = options.LabelSmoothing,
        EndLearningRate = options.EndLearningRate,
        DroppedRows = data.DroppedRows.Take(20).ToList(),
        DroppedRowCount = data.DroppedRows.Count,
        Precision = TrainingPrecisions.Name(options.Precision),
        LowPrecisionBase = plan.Spec.Profile.LowPrecisionBase,
        OverflowSkippedSteps = outcome.OverflowSkippedSteps,
        FinalLossScale = outcome.FinalLossScale,
    };
}
