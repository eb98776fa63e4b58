using PeftGrid.Tasks.Adapters;
using PeftGrid.Tasks.Batching;
using PeftGrid.Tasks.Data;
using PeftGrid.Tasks.Text;
using PeftGrid.Tasks.Training;
using TorchSharp;

namespace PeftGrid.Tasks.Runner;

/// <summary>Re-scores a saved adapter (<see cref="AdapterFiles"/>) on a task's dev split.</summary>
public static class AdapterEvaluator
{
    /// <summary>The outcome of an evaluation.</summary>
    /// <param name="Accuracy">Dev accuracy in [0, 1].</param>
    /// <param name="Examples">Number of evaluated examples.</param>
    /// <param name="Info">What the adapter folder declares.</param>
    /// <param name="Task">The task evaluated.</param>
    public sealed record Score(double Accuracy, int Examples, AdapterFiles.AdapterInfo Info, GlueTask Task);

    /// <summary>Loads <paramref name="adapterFolder"/> and evaluates it on <paramref name="taskName"/>'s dev split (default: the adapter's task).</summary>
    /// <exception cref="ArgumentException">Unknown task, or a task whose label count differs from the adapter's head.</exception>
    public static Score Evaluate(string adapterFolder, string? taskName, string? dataRoot, int? maxEvalExamples = null, int? threads = null)
    {
        var info = AdapterFiles.ReadInfo(adapterFolder);
        var task = GlueTask.Find(taskName ?? info.Task);
        if (task.NumLabels != info.NumLabels)
        {
            throw new ArgumentException($"task '{task.Name}' has {task.NumLabels} labels but the adapter's head has {info.NumLabels}");
        }
        var root = DataRoot.Resolve(dataRoot);
        var dev = GlueTsvReader.ReadDev(root, task);
        if (maxEvalExamples is { } v && v < dev.Count) dev = dev.Take(v).ToList();
        var encoder = WordPieceEncoder.MiniLm();
        var devSet = encoder.EncodeAll(dev, info.MaxLength);
        torch.set_num_threads(threads ?? Environment.ProcessorCount);
        var (model, _) = AdapterFiles.Load(adapterFolder);
        using (model)
        {
            var (accuracy, _) = Evaluator.Evaluate(model, new LengthBucketedBatcher(devSet, 128, encoder.PadId), torch.CPU, devSet.Count);
            return new Score(accuracy, devSet.Count, info, task);
        }
    }
}
