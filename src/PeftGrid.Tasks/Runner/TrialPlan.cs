using PeftGrid.Contracts.Trials;
using PeftGrid.Peft.Budget;
using PeftGrid.Peft.Catalog;
using PeftGrid.Peft.Framework;
using PeftGrid.Tasks.Data;
using PeftGrid.Tasks.Pipeline;
using PeftGrid.Tasks.Seq2Seq;
using PeftGrid.Tasks.Text;
using PeftGrid.Tasks.Training;

namespace PeftGrid.Tasks.Runner;

/// <summary>
/// A validated trial: the task, the model shape, the configuration with its sizes solved for the budget
/// tier, the learning rate (explicit or the method's default) and the data files. Building one checks
/// everything that can be checked without training, so a bad cell fails fast with a one-line reason.
/// </summary>
public sealed record TrialPlan
{
    /// <summary>The cell.</summary>
    public required TrialSpec Spec { get; init; }
    /// <summary>The task's catalog entry.</summary>
    public required TaskEntry Task { get; init; }
    /// <summary>The GLUE reader details of a classification task; null for a seq2seq task.</summary>
    public GlueTask? Glue { get; init; }
    /// <summary>The paper's settings of a seq2seq task; null for classification.</summary>
    public Seq2SeqTaskSettings? Seq2Seq { get; init; }
    /// <summary>Seq2seq: training target length in tokens (the profile's, else the task's); null for classification.</summary>
    public int? MaxTargetLength { get; init; }
    /// <summary>Seq2seq batching by tokens: max padded tokens per batch (the profile's, else the task's default); null = batches
    /// of <see cref="TrainingProfile.BatchSize"/> sentences.</summary>
    public int? MaxTokensPerBatch { get; init; }
    /// <summary>The model's shape.</summary>
    public required ModelShape Shape { get; init; }
    /// <summary>The configuration with solved sizes.</summary>
    public required PeftConfig Config { get; init; }
    /// <summary>Peak learning rate to use.</summary>
    public required double LearningRate { get; init; }
    /// <summary>Peak learning rate of the prefix encoder (parameters of role <see cref="Peft.Adapters.ParameterRole.PrefixEncoder"/>); equal to
    /// <see cref="LearningRate"/> × <see cref="LearningRateDefaults.PrefixEncoderFactor"/> unless the profile sets it.</summary>
    public required double PrefixLearningRate { get; init; }
    /// <summary>The data root (absolute).</summary>
    public required string DataRoot { get; init; }
    /// <summary>The catalog kind of the task (<see cref="TaskEntry.Kind"/>), which picks its executor (<see cref="TrialExecutors"/>).</summary>
    public TaskKind TaskKind => Task.Kind;

    /// <summary>Validates <paramref name="spec"/> against <paramref name="dataRoot"/>: first what holds on every machine
    /// (<see cref="CellCheck"/>), then what this trainer runs (<see cref="TorchTrialRunner.Supported"/>) and the data here: the split
    /// files exist and, for a cell with a data identity (<see cref="TrialSpec.Data"/>), are the files it was submitted for
    /// (<see cref="DataIdentity.Mismatch"/>, hashed once per file while unchanged), so a trial never trains on other data.</summary>
    /// <exception cref="ArgumentException">Unknown task/model, a task or model this trainer does not run, bad method spec,
    /// unreachable budget, a model that does not run the task's kind (the message names the models that do), max length &lt; 8 or
    /// max target length &lt; 4 or either beyond the model's positions, epochs/batch &lt; 1, or a non-positive learning rate.</exception>
    /// <exception cref="FormatException">A malformed method spec.</exception>
    /// <exception cref="DirectoryNotFoundException">Missing data root or task folder.</exception>
    /// <exception cref="FileNotFoundException">Missing split file.</exception>
    /// <exception cref="InvalidDataException">The split files here differ from <see cref="TrialSpec.Data"/>; the one-line message names
    /// each differing file and whether its size or its content differs.</exception>
    public static TrialPlan Create(TrialSpec spec, string? dataRoot)
    {
        var profile = spec.Profile;
        if (TaskCatalog.TryFind(spec.Task) is { } named && ModelCatalog.TryFind(spec.Model) is { } entry && !entry.Runs(named.Kind))
        {
            var kind = named.Kind.ToString().ToLowerInvariant();
            throw new ArgumentException($"model '{entry.Name}' ({entry.Family}) cannot run task '{named.Name}' ({kind}); this build runs {kind} tasks on: {string.Join(", ", TorchTrialRunner.ModelsFor(named.Kind))}");
        }
        var cell = CellCheck.Check(spec.Task, spec.Model, spec.Method, spec.BudgetPercent, profile.MaxLength);
        var supported = TorchTrialRunner.Supported;
        if (!supported.RunsTask(cell.Task.Name))
        {
            throw new ArgumentException($"task '{cell.Task.Name}' has no trainer in this build; runnable: {string.Join(", ", supported.Tasks)}");
        }
        if (cell.Model is not { } model || !supported.RunsModel(CellNeed.Of(spec)))
        {
            var runs = supported.Models.Where(m => ModelCatalog.TryFind(m)?.Runs(cell.Task.Kind) == true);
            throw new ArgumentException($"model '{cell.ModelName}' is not run by this build's trainer for task '{cell.Task.Name}'; it runs: {string.Join(", ", runs)}");
        }
        var task = cell.Task;
        var glue = task.Kind == TaskKind.Classification ? GlueTask.Find(task.Name) : null;
        var seq2seq = task.Kind == TaskKind.Seq2Seq ? Seq2SeqTaskSettings.For(task) : null;
        WordPieceEncoder.CheckMaxLength(profile.MaxLength);
        if (seq2seq is null && (profile.MaxTargetLength is not null || profile.MaxTokensPerBatch is not null))
        {
            throw new ArgumentException($"max target length and max tokens per batch apply to seq2seq tasks only; '{task.Name}' is {task.Kind.ToString().ToLowerInvariant()}");
        }
        var targetLength = seq2seq is null ? (int?)null : profile.MaxTargetLength ?? seq2seq.TargetLength;
        if (targetLength is < 4) throw new ArgumentException($"max target length must be at least 4 (got {targetLength})");
        if (targetLength > model.MaxSequenceLength)
        {
            throw new ArgumentException($"max target length {targetLength} is beyond {model.Name}'s {model.MaxSequenceLength} decoder positions; allowed: 4 … {model.MaxSequenceLength}");
        }
        var tokensPerBatch = seq2seq is null ? null : profile.MaxTokensPerBatch ?? seq2seq.DefaultMaxTokensPerBatch;
        if (tokensPerBatch is { } tpb && tpb < Math.Max(profile.MaxLength, targetLength ?? 0))
        {
            throw new ArgumentException($"max tokens per batch must be at least the longest example, max(max length, max target length) = {Math.Max(profile.MaxLength, targetLength ?? 0)} (got {tpb})");
        }
        if (profile.LowPrecisionBase && profile.Precision == TrainingPrecision.Fp32)
        {
            throw new ArgumentException("low precision base (--low-precision-base, grid key lowPrecisionBase) needs precision bf16 or fp16 (got fp32)");
        }
        if (profile.Epochs < 1) throw new ArgumentException($"epochs must be at least 1 (got {profile.Epochs})");
        if (profile.BatchSize < 1) throw new ArgumentException($"batch size must be at least 1 (got {profile.BatchSize})");
        if (profile.MaxTrainExamples is < 1) throw new ArgumentException($"max train examples must be at least 1 (got {profile.MaxTrainExamples})");
        if (profile.MaxEvalExamples is < 1) throw new ArgumentException($"max eval examples must be at least 1 (got {profile.MaxEvalExamples})");
        if (profile.LearningRate is { } lr && !(lr > 0 && double.IsFinite(lr))) throw new ArgumentException($"learning rate must be positive (got {lr})");
        if (profile.PrefixLearningRate is { } plr && !(plr > 0 && double.IsFinite(plr))) throw new ArgumentException($"prefix learning rate must be positive (got {plr})");

        var shape = model.Shape;
        var config = cell.Config;

        var root = Data.DataRoot.Resolve(dataRoot);
        if (glue is not null)
        {
            GlueTsvReader.SplitPath(root, glue, glue.TrainFile);
            GlueTsvReader.SplitPath(root, glue, glue.DevFile);
        }
        else
        {
            DataIdentity.Files(root, task); // every split file exists (the message names the missing one)
        }
        if (DataIdentity.Mismatch(spec.Data, root, cell.Task) is { } mismatch)
        {
            throw new InvalidDataException(mismatch);
        }
        var rate = profile.LearningRate ?? LearningRateDefaults.For(config, task.Kind);
        return new TrialPlan
        {
            Spec = spec, Task = task, Glue = glue, Seq2Seq = seq2seq, MaxTargetLength = targetLength, MaxTokensPerBatch = tokensPerBatch,
            Shape = shape, Config = config, DataRoot = root,
            LearningRate = rate,
            PrefixLearningRate = profile.PrefixLearningRate ?? rate * LearningRateDefaults.PrefixEncoderFactor,
        };
    }

    /// <summary>The modifications as result rows (four design dimensions and sizes).</summary>
    public IReadOnlyList<ModificationReport> Modifications() => Config.Modifications.Select(m => new ModificationReport
    {
        Name = m.Name,
        ModifiedRepresentation = m.Representation.ToString(),
        FunctionalForm = m.Form.ToString(),
        InsertionForm = m.Insertion.ToString(),
        CompositionFunction = m.Composition.ToString(),
        Sizes = m.SizeReport(),
    }).ToList();
}
