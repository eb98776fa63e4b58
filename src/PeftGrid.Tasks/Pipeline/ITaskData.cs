using PeftGrid.Contracts.Trials;
using static TorchSharp.torch;

namespace PeftGrid.Tasks.Pipeline;

/// <summary>The loss of one training batch: the scalar to back-propagate, and what the batch held for throughput.</summary>
/// <param name="Loss">Scalar loss tensor (mean over the batch) attached to the autograd graph, owned by the caller's dispose scope.</param>
/// <param name="Examples">Examples in the batch.</param>
/// <param name="Tokens">Real (non-padding) input tokens in the batch.</param>
public readonly record struct StepLoss(Tensor Loss, int Examples, long Tokens);

/// <summary>
/// The tokenized splits of one trial, bound to how its task trains and scores a model: seeded training batches, the loss of a
/// batch, and evaluation of the dev split into metrics that include the task's primary metric (higher is better). Made by
/// <see cref="ITaskDefinition{TModel}.Load"/>; consumed by <see cref="Training.Trainer"/>.
/// </summary>
/// <typeparam name="TModel">The model the task trains.</typeparam>
public interface ITaskData<in TModel> where TModel : nn.Module
{
    /// <summary>Name of the metric that picks the best epoch and ranks leaderboards (e.g. <c>accuracy</c>); a key of <see cref="Evaluate"/>'s result.</summary>
    string PrimaryMetric { get; }
    /// <summary>Training examples.</summary>
    int TrainCount { get; }
    /// <summary>Evaluation examples.</summary>
    int EvalCount { get; }
    /// <summary>The evaluation split, relative to the data root (e.g. <c>glue/SST-2/dev.tsv</c>), for the result.</summary>
    string EvalFile { get; }
    /// <summary>Training batches per epoch.</summary>
    int BatchesPerEpoch { get; }

    /// <summary>The training batches of one epoch as example indices (every index once), deterministic for (seed, epoch).</summary>
    /// <param name="seed">Trial seed.</param>
    /// <param name="epoch">0-based epoch.</param>
    IReadOnlyList<int[]> TrainOrder(int seed, int epoch);

    /// <summary>Runs <paramref name="model"/> (in train mode) on the examples at <paramref name="batch"/> and returns the loss to
    /// minimize. Call inside a dispose scope.</summary>
    /// <param name="model">The model being trained.</param>
    /// <param name="batch">Training example indices (one entry of <see cref="TrainOrder"/>).</param>
    /// <param name="device">Device of the model.</param>
    StepLoss Loss(TModel model, int[] batch, Device device);

    /// <summary>Scores <paramref name="model"/> on the evaluation split in eval mode with gradients off (restoring its mode), after
    /// each epoch: every metric of the task by name, <see cref="SelectionMetric"/> included (and <see cref="PrimaryMetric"/> unless
    /// the task computes it only in <see cref="FinalEvaluate"/>).</summary>
    /// <param name="model">The model.</param>
    /// <param name="device">Device of the model.</param>
    IReadOnlyDictionary<string, double> Evaluate(TModel model, Device device);

    /// <summary>The metric that picks the best epoch, a key of <see cref="Evaluate"/>'s result: <see cref="PrimaryMetric"/> unless
    /// the task selects by another (en-ro: <c>loss</c>, PAPER.md §3.5).</summary>
    string SelectionMetric => PrimaryMetric;

    /// <summary>True when a lower <see cref="SelectionMetric"/> is better (a loss).</summary>
    bool SelectionLowerIsBetter => false;

    /// <summary>The result's metrics, computed once on the best epoch's weights (restored) after training: by default the best
    /// epoch's <paramref name="bestEpochMetrics"/>; a task that selects by a cheap metric (loss) generates and scores here.</summary>
    /// <param name="model">The model with the best epoch's weights.</param>
    /// <param name="device">Device of the model.</param>
    /// <param name="bestEpochMetrics">What <see cref="Evaluate"/> returned for the best epoch.</param>
    IReadOnlyDictionary<string, double> FinalEvaluate(TModel model, Device device, IReadOnlyDictionary<string, double> bestEpochMetrics) =>
        bestEpochMetrics;

    /// <summary>Seq2seq: the decoding settings, signatures and samples of the last generating evaluation (null before one ran,
    /// and for classification).</summary>
    GenerationReport? Generation => null;

    /// <summary>Rows of the split files left out while reading, each <c>file:line: reason</c> (empty when none).</summary>
    IReadOnlyList<string> DroppedRows => [];
}
