using PeftGrid.Tasks.Batching;
using PeftGrid.Tasks.Metrics;
using TorchSharp;
using static TorchSharp.torch;

namespace PeftGrid.Tasks.Training;

/// <summary>Scores a classifier <c>forward(inputIds, tokenTypeIds, attentionMask) → logits [B, C]</c> on a split.</summary>
public static class Evaluator
{
    /// <summary>Accuracy and per-example predictions (in the split's order) with the model in eval mode and
    /// gradients off. Restores the model's previous training mode.</summary>
    /// <param name="model">The classifier.</param>
    /// <param name="batcher">Batcher over the evaluation split.</param>
    /// <param name="device">Device of the model.</param>
    /// <param name="count">Number of examples in the split (size of the returned predictions).</param>
    public static (double Accuracy, long[] Predictions) Evaluate(
        nn.Module<Tensor, Tensor, Tensor, Tensor> model, LengthBucketedBatcher batcher, Device device, int count)
    {
        var wasTraining = model.training;
        model.eval();
        var accuracy = new Accuracy();
        var predictions = new long[count];
        try
        {
            using var noGrad = torch.no_grad();
            foreach (var indices in batcher.EvalOrder())
            {
                using var noGc = NoGcStep.Enter();
                using var scope = torch.NewDisposeScope();
                var batch = batcher.Collate(indices);
                var (ids, types, mask, _) = batch.ToTensors(device);
                var logits = model.forward(ids, types, mask);
                var predicted = logits.argmax(-1).cpu().data<long>().ToArray();
                accuracy.Add(predicted, batch.Labels);
                for (var i = 0; i < indices.Length; i++) predictions[indices[i]] = predicted[i];
            }
        }
        finally
        {
            model.train(wasTraining);
        }
        return (accuracy.Value, predictions);
    }
}
