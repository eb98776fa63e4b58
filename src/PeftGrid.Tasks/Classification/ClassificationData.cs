using PeftGrid.Tasks.Batching;
using PeftGrid.Tasks.Pipeline;
using PeftGrid.Tasks.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace PeftGrid.Tasks.Classification;

/// <summary>
/// Tokenized classification splits for a classifier <c>forward(input ids [B, T], token type ids [B, T], attention mask [B, T])
/// → logits [B, C]</c>: length-bucketed seeded training batches (<see cref="LengthBucketedBatcher"/>), mean cross-entropy over
/// the batch as the loss, and dev accuracy (<see cref="Evaluator"/>) as the one and primary metric.
/// </summary>
/// <param name="train">Batcher over the training examples (its batch size is the training batch size).</param>
/// <param name="eval">Batcher over the evaluation examples.</param>
/// <param name="evalFile">The evaluation split relative to the data root, for the result (empty when not from a file).</param>
public sealed class ClassificationData(LengthBucketedBatcher train, LengthBucketedBatcher eval, string evalFile = "")
    : ITaskData<nn.Module<Tensor, Tensor, Tensor, Tensor>>
{
    /// <summary>The metric: accuracy in [0, 1] (the catalog's metric and primary metric of every classification task).</summary>
    public const string Accuracy = "accuracy";

    /// <inheritdoc />
    public string PrimaryMetric => Accuracy;
    /// <inheritdoc />
    public int TrainCount => train.Count;
    /// <inheritdoc />
    public int EvalCount => eval.Count;
    /// <inheritdoc />
    public string EvalFile => evalFile;
    /// <inheritdoc />
    public int BatchesPerEpoch => train.BatchesPerEpoch;

    /// <inheritdoc />
    public IReadOnlyList<int[]> TrainOrder(int seed, int epoch) => train.TrainOrder(seed, epoch);

    /// <inheritdoc />
    public StepLoss Loss(nn.Module<Tensor, Tensor, Tensor, Tensor> model, int[] batch, Device device)
    {
        var padded = train.Collate(batch);
        var (ids, types, mask, labels) = padded.ToTensors(device);
        var logits = model.forward(ids, types, mask);
        return new StepLoss(nn.functional.cross_entropy(logits, labels), padded.Size, padded.TokenCount);
    }

    /// <inheritdoc />
    public IReadOnlyDictionary<string, double> Evaluate(nn.Module<Tensor, Tensor, Tensor, Tensor> model, Device device) =>
        new Dictionary<string, double> { [Accuracy] = Evaluator.Evaluate(model, eval, device, eval.Count).Accuracy };
}
