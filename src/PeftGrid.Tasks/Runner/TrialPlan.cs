using PeftGrid.Contracts.Trials;
using PeftGrid.Peft.Budget;
using PeftGrid.Peft.Catalog;
using PeftGrid.Peft.Framework;
using PeftGrid.Tasks.Data;
using PeftGrid.Tasks.Pipeline;
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
    /// <summary>The GLUE task.</summary>
    public required GlueTask Task { get; init; }
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
    public TaskKind TaskKind => Task.Entry.Kind;

    /// <summary>Validates <paramref name="spec"/> against <paramref name="dataRoot"/>: first what holds on every machine
    /// (<see cref="CellCheck"/>), then what this trainer runs (<see cref="TorchTrialRunner.Supported"/>) and the data here: the split
    /// files exist and, for a cell with a data identity (<see cref="TrialSpec.Data"/>), are the files it was submitted for
    /// (<see cref="DataIdentity.Mismatch"/>, hashed once per file while unchanged), so a trial never trains on other data.</summary>
    /// <exception cref="ArgumentException">Unknown task/model, a task or model this trainer does not run, bad method spec,
    /// unreachable budget, max length &lt; 8 or beyond the model's positions, epochs/batch &lt; 1, or a non-positive learning rate.</exception>
    /// <exception cref="FormatException">A malformed method spec.</exception>
    /// <exception cref="DirectoryNotFoundException">Missing data root or task folder.</exception>
    /// <exception cref="FileNotFoundException">Missing split file.</exception>
    /// <exception cref="InvalidDataException">The split files here differ from <see cref="TrialSpec.Data"/>; the one-line message names
    /// each differing file and whether its size or its content differs.</exception>
    public static TrialPlan Create(TrialSpec spec, string? dataRoot)
    {
        var profile = spec.Profile;
        var cell = CellCheck.Check(spec.Task, spec.Model, spec.Method, spec.BudgetPercent, profile.MaxLength);
        var supported = TorchTrialRunner.Supported;
        if (!supported.RunsTask(cell.Task.Name))
        {
            throw new ArgumentException($"task '{cell.Task.Name}' has no trainer in this build; runnable: {string.Join(", ", supported.Tasks)}");
        }
        if (cell.Model is not { } model || !supported.RunsModel(CellNeed.Of(spec)))
        {
            throw new ArgumentException($"model '{spec.Model}' is not run by this build's trainer; it runs: {string.Join(", ", supported.Models)}");
        }
        var task = GlueTask.Find(cell.Task.Name);
        WordPieceEncoder.CheckMaxLength(profile.MaxLength);
        if (profile.Epochs < 1) throw new ArgumentException($"epochs must be at least 1 (got {profile.Epochs})");
        if (profile.BatchSize < 1) throw new ArgumentException($"batch size must be at least 1 (got {profile.BatchSize})");
        if (profile.MaxTrainExamples is < 1) throw new ArgumentException($"max train examples must be at least 1 (got {profile.MaxTrainExamples})");
        if (profile.MaxEvalExamples is < 1) throw new ArgumentException($"max eval examples must be at least 1 (got {profile.MaxEvalExamples})");
        if (profile.LearningRate is { } lr && !(lr > 0 && double.IsFinite(lr))) throw new ArgumentException($"learning rate must be positive (got {lr})");
        if (profile.PrefixLearningRate is { } plr && !(plr > 0 && double.IsFinite(plr))) throw new ArgumentException($"prefix learning rate must be positive (got {plr})");

        var shape = model.Shape;
        var config = cell.Config;

        var root = Data.DataRoot.Resolve(dataRoot);
        GlueTsvReader.SplitPath(root, task, task.TrainFile);
        GlueTsvReader.SplitPath(root, task, task.DevFile);
        if (DataIdentity.Mismatch(spec.Data, root, cell.Task) is { } mismatch)
        {
            throw new InvalidDataException(mismatch);
        }
        var rate = profile.LearningRate ?? LearningRateDefaults.For(config);
        return new TrialPlan
        {
            Spec = spec, Task = task, Shape = shape, Config = config, DataRoot = root,
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
