using PeftGrid.Peft.Catalog;
using PeftGrid.Tasks.Runner;
using PeftGrid.Tasks.Training;
using static TorchSharp.torch;

namespace PeftGrid.Tasks.Pipeline;

/// <summary>
/// What a kind of task is, for the trial pipeline (<see cref="TrialExecutor{TModel}"/>): how to read, subsample and tokenize
/// the splits of a trial into <see cref="ITaskData{TModel}"/>, which then batches them, computes the training loss and
/// evaluates. GLUE classification is <see cref="Classification.GlueClassificationTask"/>; a seq2seq task (generation,
/// ROUGE/BLEU) is another implementation next to it, with its own model type, and never touches the classification path.
/// </summary>
/// <typeparam name="TModel">The model the task trains (contravariant: a task written for any
/// <c>Module&lt;ids, types, mask, logits&gt;</c> serves every such classifier).</typeparam>
public interface ITaskDefinition<in TModel> where TModel : nn.Module
{
    /// <summary>The catalog task kind this definition implements (<see cref="TaskEntry.Kind"/>), the key of <see cref="TrialExecutors"/>.</summary>
    TaskKind Kind { get; }

    /// <summary>Reads the splits of <paramref name="plan"/>'s task from its data root, applies the profile's subsampling and
    /// max length, and tokenizes them. Touches no torch random state.</summary>
    /// <exception cref="IOException">A split file is missing or malformed (the message names file and line).</exception>
    ITaskData<TModel> Load(TrialPlan plan);

    /// <summary>The optimization settings of <paramref name="plan"/>: the task's defaults (PAPER.md §3.5: GLUE AdamW β (0.9, 0.98),
    /// ε 1e-6, weight decay 0.1, 6 % warmup, clipping 1.0) with the profile's epochs, batch size, seed and learning rates.</summary>
    TrainerOptions Options(TrialPlan plan) => new()
    {
        Epochs = plan.Spec.Profile.Epochs, BatchSize = plan.Spec.Profile.BatchSize, LearningRate = plan.LearningRate, Seed = plan.Spec.Seed,
        RoleLearningRates = LearningRateDefaults.RoleRates(plan.PrefixLearningRate),
    };
}
