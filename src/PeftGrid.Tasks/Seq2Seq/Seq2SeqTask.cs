using PeftGrid.Models.Seq2Seq;
using PeftGrid.Peft.Catalog;
using PeftGrid.Tasks.Pipeline;
using PeftGrid.Tasks.Runner;
using PeftGrid.Tasks.Text;
using PeftGrid.Tasks.Training;

namespace PeftGrid.Tasks.Seq2Seq;

/// <summary>
/// XSum summarization and WMT16 en→ro translation as a task definition (PAPER.md §3.1, §3.3, §3.5): reads the plan's task's JSON
/// lines (<see cref="Seq2SeqJsonlReader"/>, every left-out row reported), keeps the profile's first N training examples after a
/// shuffle seeded by the trial seed and the first N evaluation examples (as <see cref="Classification.GlueClassificationTask"/>),
/// tokenizes them with the model's tokenizer (<see cref="Seq2SeqTokenizers.For"/>) at the profile's max length (source) and the
/// plan's max target length, and batches the training pairs by tokens (<see cref="TrialPlan.MaxTokensPerBatch"/>, en-ro) or by
/// <see cref="Contracts.Trials.TrainingProfile.BatchSize"/> sentences (XSum) for <see cref="Seq2SeqData"/>.
/// </summary>
public sealed class Seq2SeqTask : ITaskDefinition<Seq2SeqModel>
{
    /// <summary>Sentences per evaluation batch, for the dev loss and generation (memory only: metrics do not depend on it). Default 8.</summary>
    public int EvalBatchSize { get; init; } = 8;

    /// <inheritdoc />
    public TaskKind Kind => TaskKind.Seq2Seq;

    /// <summary>The seq2seq settings of <paramref name="plan"/>.</summary>
    /// <exception cref="ArgumentException">The plan is not a seq2seq task.</exception>
    internal static Seq2SeqTaskSettings Settings(TrialPlan plan) =>
        plan.Seq2Seq ?? throw new ArgumentException($"task '{plan.Task.Name}' is not a seq2seq task; seq2seq tasks: {string.Join(", ", Seq2SeqTaskSettings.All.Select(s => s.Entry.Name))}");

    /// <inheritdoc />
    public ITaskData<Seq2SeqModel> Load(TrialPlan plan)
    {
        var settings = Settings(plan);
        var profile = plan.Spec.Profile;
        var tokenizer = Seq2SeqTokenizers.For(ModelCatalog.Find(plan.Spec.Model), null);
        var trainSplit = Seq2SeqJsonlReader.Read(plan.DataRoot, settings, settings.Entry.TrainFile);
        var evalSplit = Seq2SeqJsonlReader.Read(plan.DataRoot, settings, settings.Entry.EvalFile);
        var train = trainSplit.Examples;
        if (profile.MaxTrainExamples is { } n && n < train.Count)
        {
            var shuffled = train.ToArray();
            new Random(plan.Spec.Seed).Shuffle(shuffled);
            train = shuffled.Take(n).ToList();
        }
        var eval = evalSplit.Examples;
        if (profile.MaxEvalExamples is { } v && v < eval.Count) eval = eval.Take(v).ToList();
        var targetLength = plan.MaxTargetLength ?? settings.TargetLength;
        var trainPairs = Seq2SeqEncoding.Encode(train, tokenizer, profile.MaxLength, targetLength);
        var evalPairs = Seq2SeqEncoding.Encode(eval, tokenizer, profile.MaxLength, targetLength);
        var trainBatches = Seq2SeqBatcher.For(trainPairs, profile.BatchSize, plan.MaxTokensPerBatch, settings.BatchSizeMultiple);
        var evalBatches = Seq2SeqBatcher.BySentences(evalPairs, EvalBatchSize);
        return new Seq2SeqData(settings, tokenizer, trainBatches, evalBatches, EvalBatchSize, eval, settings.LabelSmoothing,
            [.. trainSplit.Dropped, .. evalSplit.Dropped]);
    }

    /// <summary>The task's optimization settings (PAPER.md §3.5, <see cref="Seq2SeqTaskSettings"/>: AdamW β/ε, weight decay 0.01,
    /// warmup 0, clipping (XSum 0.1, en-ro 1.0), label smoothing 0.1, polynomial decay to 1e-7) with the profile's epochs, batch
    /// size and seed and the plan's learning rates (the prefix encoder's by role, <see cref="LearningRateDefaults.RoleRates"/>).</summary>
    /// <exception cref="ArgumentException">The plan is not a seq2seq task.</exception>
    public TrainerOptions Options(TrialPlan plan)
    {
        var s = Settings(plan);
        return new TrainerOptions
        {
            Epochs = plan.Spec.Profile.Epochs, BatchSize = plan.Spec.Profile.BatchSize, LearningRate = plan.LearningRate, Seed = plan.Spec.Seed,
            RoleLearningRates = LearningRateDefaults.RoleRates(plan.PrefixLearningRate),
            Beta1 = s.Beta1, Beta2 = s.Beta2, Epsilon = s.Epsilon, WeightDecay = s.WeightDecay, WarmupRatio = s.WarmupRatio,
            MaxGradNorm = s.MaxGradNorm, LabelSmoothing = s.LabelSmoothing, EndLearningRate = s.EndLearningRate,
        };
    }
}
