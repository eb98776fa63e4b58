using PeftGrid.Peft.Catalog;
using PeftGrid.Tasks.Batching;
using PeftGrid.Tasks.Data;
using PeftGrid.Tasks.Pipeline;
using PeftGrid.Tasks.Runner;
using PeftGrid.Tasks.Text;
using static TorchSharp.torch;

namespace PeftGrid.Tasks.Classification;

/// <summary>
/// GLUE classification (SST-2, MNLI) as a task definition: reads the plan's task TSVs (<see cref="GlueTsvReader"/>), keeps the
/// profile's first N training examples after a shuffle seeded by the trial seed and the first N dev examples, tokenizes both with
/// the MiniLM/BERT uncased WordPiece (<see cref="WordPieceEncoder"/>) at the profile's max length, and batches them for
/// <see cref="ClassificationData"/> (cross-entropy, accuracy).
/// </summary>
public sealed class GlueClassificationTask : ITaskDefinition<nn.Module<Tensor, Tensor, Tensor, Tensor>>
{
    /// <summary>Sequences per evaluation batch (memory only: the metric does not depend on it). Default 128.</summary>
    public int EvalBatchSize { get; init; } = 128;

    /// <inheritdoc />
    public TaskKind Kind => TaskKind.Classification;

    /// <summary>The GLUE reader details of <paramref name="plan"/>.</summary>
    /// <exception cref="ArgumentException">The plan is not a classification task.</exception>
    internal static GlueTask Glue(TrialPlan plan) =>
        plan.Glue ?? throw new ArgumentException($"task '{plan.Task.Name}' is not a GLUE classification task");

    /// <inheritdoc />
    public ITaskData<nn.Module<Tensor, Tensor, Tensor, Tensor>> Load(TrialPlan plan)
    {
        var profile = plan.Spec.Profile;
        var encoder = WordPieceEncoder.MiniLm();
        var glue = Glue(plan);
        var train = GlueTsvReader.ReadTrain(plan.DataRoot, glue);
        var dev = GlueTsvReader.ReadDev(plan.DataRoot, glue);
        if (profile.MaxTrainExamples is { } n && n < train.Count)
        {
            var shuffled = train.ToArray();
            new Random(plan.Spec.Seed).Shuffle(shuffled);
            train = shuffled.Take(n).ToList();
        }
        if (profile.MaxEvalExamples is { } v && v < dev.Count) dev = dev.Take(v).ToList();
        var trainSet = encoder.EncodeAll(train, profile.MaxLength);
        var devSet = encoder.EncodeAll(dev, profile.MaxLength);
        return new ClassificationData(
            new LengthBucketedBatcher(trainSet, profile.BatchSize, encoder.PadId),
            new LengthBucketedBatcher(devSet, EvalBatchSize, encoder.PadId),
            Path.Combine(glue.Folder, glue.DevFile));
    }
}
