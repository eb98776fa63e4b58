using PeftGrid.Contracts.Trials;
using PeftGrid.Models.Runtime;
using PeftGrid.Models.Seq2Seq;
using PeftGrid.Peft.Catalog;
using PeftGrid.Tasks.Adapters;
using PeftGrid.Tasks.Batching;
using PeftGrid.Tasks.Data;
using PeftGrid.Tasks.Pipeline;
using PeftGrid.Tasks.Seq2Seq;
using PeftGrid.Tasks.Text;
using PeftGrid.Tasks.Training;
using TorchSharp;

namespace PeftGrid.Tasks.Runner;

/// <summary>Re-scores a saved adapter (<see cref="AdapterFiles"/>) on a task's dev split: a classifier by accuracy, an encoder-decoder
/// by generation with the task's own evaluation (<see cref="Seq2SeqTask"/> / <see cref="Seq2SeqData"/>: ROUGE-1/2/L/Lsum or BLEU and
/// the paper-pipeline BLEU, the same code that scored it in training).</summary>
public static class AdapterEvaluator
{
    /// <summary>The outcome of an evaluation.</summary>
    /// <param name="Metrics">Every metric of the task by name (accuracy in [0, 1]; ROUGE F × 100; BLEU 0–100; seq2seq also the dev <c>loss</c>).</param>
    /// <param name="Examples">Number of evaluated examples.</param>
    /// <param name="Info">What the adapter folder declares.</param>
    /// <param name="Task">The task evaluated.</param>
    public sealed record Score(IReadOnlyDictionary<string, double> Metrics, int Examples, AdapterFiles.AdapterInfo Info, TaskEntry Task)
    {
        /// <summary>Dev accuracy in [0, 1] (classification); NaN for a seq2seq task.</summary>
        public double Accuracy => Metrics.TryGetValue("accuracy", out var a) ? a : double.NaN;
        /// <summary>Seq2seq: decoding settings, signatures and sample outputs of the evaluation; null for classification.</summary>
        public GenerationReport? Generation { get; init; }
    }

    /// <summary>Loads <paramref name="adapterFolder"/> and evaluates it on <paramref name="taskName"/>'s dev split (default: the adapter's
    /// task): a classification adapter by accuracy, a seq2seq adapter by generation (<see cref="EvaluateSeq2Seq"/>).</summary>
    /// <exception cref="ArgumentException">Unknown task, a task of another kind than the adapter's, or a task whose label count differs
    /// from the adapter's head.</exception>
    public static Score Evaluate(string adapterFolder, string? taskName, string? dataRoot, int? maxEvalExamples = null, int? threads = null)
    {
        var info = AdapterFiles.ReadInfo(adapterFolder);
        var entry = TaskCatalog.Find(taskName ?? info.Task);
        if (entry.Kind != info.Kind)
        {
            throw new ArgumentException($"task '{entry.Name}' is {Kind(entry.Kind)} but adapter '{adapterFolder}' was trained on {Kind(info.Kind)} task '{info.Task}'");
        }
        if (entry.Kind == TaskKind.Seq2Seq)
        {
            return EvaluateSeq2Seq(adapterFolder, entry.Name, dataRoot, maxEvalExamples, threads);
        }
        var task = GlueTask.Find(entry.Name);
        if (task.NumLabels != info.NumLabels)
        {
            throw new ArgumentException($"task '{task.Name}' has {task.NumLabels} labels but the adapter's head has {info.NumLabels}");
        }
        var root = DataRoot.Resolve(dataRoot);
        var dev = GlueTsvReader.ReadDev(root, task);
        if (maxEvalExamples is { } v && v < dev.Count) dev = dev.Take(v).ToList();
        var encoder = WordPieceEncoder.MiniLm();
        var devSet = encoder.EncodeAll(dev, info.MaxLength);
        TorchRuntime.Initialize(threads);
        var (model, _) = AdapterFiles.Load(adapterFolder);
        using (model)
        {
            var (accuracy, _) = Evaluator.Evaluate(model, new LengthBucketedBatcher(devSet, 128, encoder.PadId), torch.CPU, devSet.Count);
            return new Score(new Dictionary<string, double> { ["accuracy"] = accuracy }, devSet.Count, info, entry);
        }
    }

    /// <summary>
    /// Re-scores a seq2seq adapter on <paramref name="taskName"/>'s dev split exactly as training scored its best epoch: the split read,
    /// cut to <paramref name="maxEvalExamples"/> and tokenized by <see cref="Seq2SeqTask.Load"/> at the adapter's max length and max
    /// target length, then <see cref="ITaskData{TModel}.Evaluate"/> (dev loss, and generation when the task selects by its metric) and
    /// <see cref="ITaskData{TModel}.FinalEvaluate"/> (generation when it selects by loss), with the task's decoding settings.
    /// </summary>
    /// <exception cref="ArgumentException">Not a seq2seq adapter or task, or the adapter's model cannot run here.</exception>
    /// <exception cref="InvalidDataException">A malformed adapter folder.</exception>
    public static Score EvaluateSeq2Seq(string adapterFolder, string? taskName, string? dataRoot, int? maxEvalExamples = null, int? threads = null)
    {
        var info = AdapterFiles.ReadInfo(adapterFolder);
        var spec = new TrialSpec
        {
            Task = taskName ?? info.Task, Model = info.Model, Method = info.Spec,
            Profile = new TrainingProfile
            {
                MaxLength = info.MaxLength, MaxTargetLength = info.MaxTargetLength, MaxEvalExamples = maxEvalExamples,
                MaxTrainExamples = 1, // the training split is read (its rows checked) but only one example is tokenized
            },
        };
        var plan = TrialPlan.Create(spec, dataRoot);
        if (plan.TaskKind != TaskKind.Seq2Seq)
        {
            throw new ArgumentException($"task '{plan.Task.Name}' is not a seq2seq task; seq2seq tasks: {string.Join(", ", Seq2SeqTaskSettings.All.Select(s => s.Entry.Name))}");
        }
        TorchRuntime.Initialize(threads);
        var data = new Seq2SeqTask().Load(plan);
        var (model, _) = AdapterFiles.LoadSeq2Seq(adapterFolder);
        using (model)
        {
            var epoch = data.Evaluate(model, torch.CPU);
            var metrics = data.FinalEvaluate(model, torch.CPU, epoch);
            return new Score(metrics, data.EvalCount, info, plan.Task) { Generation = data.Generation };
        }
    }

    private static string Kind(TaskKind kind) => kind == TaskKind.Seq2Seq ? "seq2seq" : "classification";
}
