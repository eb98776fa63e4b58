using PeftGrid.Models.Bert;
using PeftGrid.Peft.Budget;
using PeftGrid.Peft.Catalog;
using PeftGrid.Tasks.Batching;
using PeftGrid.Tasks.Classification;
using PeftGrid.Tasks.Pipeline;
using PeftGrid.Tasks.Runner;
using PeftGrid.Tasks.Text;
using static TorchSharp.torch;

namespace PeftGrid.Tasks.Tests.Pipeline;

/// <summary>A separable two-class task over token ids below 100, no files read, registered under <paramref name="kind"/>
/// (<see cref="TaskKind.Seq2Seq"/> by default, to stand for a second kind of task next to GLUE classification).</summary>
internal sealed class ToyTask(int train = 64, int eval = 40, TaskKind kind = TaskKind.Seq2Seq) : ITaskDefinition<nn.Module<Tensor, Tensor, Tensor, Tensor>>
{
    public int Loads { get; private set; }
    public TaskKind Kind => kind;

    public static List<EncodedExample> Examples(int n, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, n).Select(_ =>
        {
            var label = random.Next(2);
            var len = random.Next(4, 12);
            var ids = Enumerable.Range(0, len).Select(i => i == 0 ? 1 : label == 1 ? random.Next(10, 50) : random.Next(50, 90)).ToArray();
            return new EncodedExample(ids, new int[len], label);
        }).ToList();
    }

    public ITaskData<nn.Module<Tensor, Tensor, Tensor, Tensor>> Load(TrialPlan plan)
    {
        Loads++;
        return new ClassificationData(new LengthBucketedBatcher(Examples(train, 1), plan.Spec.Profile.BatchSize, 0),
            new LengthBucketedBatcher(Examples(eval, 2), 16, 0), "toy/dev.tsv");
    }
}

/// <summary>Builds a 2-layer, d = 32 classifier with the plan's configuration (random weights: no checkpoint read).</summary>
internal sealed class TinyClassifierFactory : IModelFactory<SequenceClassifier>
{
    public static readonly ModelShape Shape = new("tiny", 32, 2, 4, 128, 100, 64, 2);
    public bool Throw { get; init; }

    public SequenceClassifier Create(TrialPlan plan)
    {
        if (Throw) throw new InvalidDataException("checkpoint 'tiny' lacks encoder.layer.0.attention.self.query.weight");
        var model = new SequenceClassifier(new BertEncoder(new EncoderConfig(Shape)), plan.Glue!.NumLabels);
        model.ApplyPeft(plan.Config);
        return model;
    }
}
