using PeftGrid.Tasks.Batching;
using PeftGrid.Tasks.Classification;
using PeftGrid.Tasks.Text;
using PeftGrid.Tasks.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace PeftGrid.Tasks.Tests.Training;

/// <summary>A linearly separable toy task (label 1: tokens 10–29, label 0: tokens 30–49, 8 tokens each) and one way to train
/// <see cref="ToyClassifier"/> on it (seed 3, batches of 32, 640 training and 100 dev examples): the trainer tests' shared fixture.</summary>
internal static class ToySeparableTask
{
    /// <summary><paramref name="n"/> examples drawn with <paramref name="seed"/>.</summary>
    public static List<EncodedExample> Examples(int n, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, n).Select(_ =>
        {
            var label = random.Next(2);
            var ids = Enumerable.Range(0, 8).Select(i => i == 0 ? 101 : label == 1 ? random.Next(10, 30) : random.Next(30, 50)).ToArray();
            return new EncodedExample(ids, new int[8], label);
        }).ToList();
    }

    private static readonly List<EncodedExample> TrainSet = Examples(640, 1);
    private static readonly List<EncodedExample> DevSet = Examples(100, 2);

    /// <summary>Trains a fresh <see cref="ToyClassifier"/> (128 tokens, width 16, 2 classes; torch seed 3) with <paramref name="options"/>,
    /// calling <paramref name="onStep"/> after every step.</summary>
    public static (TrainOutcome Outcome, ToyClassifier Model) Train(TrainerOptions options, Action<TrainStepInfo, ToyClassifier>? onStep = null)
    {
        torch.manual_seed(3);
        var model = new ToyClassifier(128, 16, 2);
        var outcome = Trainer.Train(model, model.Roles(),
            new ClassificationData(new LengthBucketedBatcher(TrainSet, 32, 0), new LengthBucketedBatcher(DevSet, 64, 0)), options, CPU,
            info => onStep?.Invoke(info, model));
        return (outcome, model);
    }
}
