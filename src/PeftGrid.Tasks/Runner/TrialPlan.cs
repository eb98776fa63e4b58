using PeftGrid.Contracts.Trials;
using PeftGrid.Models;
using PeftGrid.Models.Bert;
using PeftGrid.Peft.Budget;
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
    /// <summary>The budget solution when the spec names a tier; null for explicit/default sizes.</summary>
    public BudgetSolution? Solution { get; init; }
    /// <summary>Peak learning rate to use.</summary>
    public required double LearningRate { get; init; }
    /// <summary>Peak learning rate of the prefix encoder (parameters of role <see cref="Peft.Adapters.ParameterRole.PrefixEncoder"/>); equal to
    /// <see cref="LearningRate"/> × <see cref="LearningRateDefaults.PrefixEncoderFactor"/> unless the profile sets it.</summary>
    public required double PrefixLearningRate { get; init; }
    /// <summary>The data root (absolute).</summary>
    public required string DataRoot { get; init; }
    /// <summary>The kind of the task (<see cref="TaskKinds"/>), which picks its executor (<see cref="TrialExecutors"/>): every
    /// GLUE task is <see cref="TaskKinds.Classification"/>.</summary>
    public string TaskKind => TaskKinds.Classification;

    /// <summary>Tasks this runner trains.</summary>
    public static IReadOnlyList<string> KnownTasks { get; } = ["sst2", "mnli", "mnli-mm"];
    /// <summary>Models whose tokenizer this runner has (WordPiece, bert-base-uncased vocabulary).</summary>
    public static IReadOnlyList<string> KnownModels { get; } = ["minilm"];

    /// <summary>Validates <paramref name="spec"/> against <paramref name="dataRoot"/>.</summary>
    /// <exception cref="ArgumentException">Unknown task/model, bad method spec, unreachable budget, max length &lt; 8 or beyond
    /// the model's position embeddings (<see cref="CheckMaxLength"/>), epochs/batch &lt; 1, or a non-positive learning rate.</exception>
    /// <exception cref="DirectoryNotFoundException">Missing data root or task folder.</exception>
    /// <exception cref="FileNotFoundException">Missing split file.</exception>
    public static TrialPlan Create(TrialSpec spec, string? dataRoot)
    {
        var task = GlueTask.Find(spec.Task);
        var modelName = spec.Model.Trim().ToLowerInvariant();
        if (!KnownModels.Contains(modelName))
        {
            throw new ArgumentException($"unknown model '{spec.Model}' for GLUE training (known: {string.Join(", ", KnownModels)})");
        }
        var profile = spec.Profile;
        WordPieceEncoder.CheckMaxLength(profile.MaxLength);
        if (profile.Epochs < 1) throw new ArgumentException($"epochs must be at least 1 (got {profile.Epochs})");
        if (profile.BatchSize < 1) throw new ArgumentException($"batch size must be at least 1 (got {profile.BatchSize})");
        if (profile.MaxTrainExamples is < 1) throw new ArgumentException($"max train examples must be at least 1 (got {profile.MaxTrainExamples})");
        if (profile.MaxEvalExamples is < 1) throw new ArgumentException($"max eval examples must be at least 1 (got {profile.MaxEvalExamples})");
        if (profile.LearningRate is { } lr && !(lr > 0 && double.IsFinite(lr))) throw new ArgumentException($"learning rate must be positive (got {lr})");
        if (profile.PrefixLearningRate is { } plr && !(plr > 0 && double.IsFinite(plr))) throw new ArgumentException($"prefix learning rate must be positive (got {plr})");

        var encoderConfig = ModelCatalog.Config(modelName);
        CheckMaxLength(profile.MaxLength, modelName, encoderConfig);
        var shape = encoderConfig.Shape;
        var config = PeftConfig.Parse(spec.Method);
        BudgetSolution? solution = null;
        if (spec.BudgetPercent is { } tier)
        {
            solution = BudgetSolver.Solve(config, shape, tier);
            config = solution.Config;
        }
        config = config.ValidateFor(shape);

        var root = Data.DataRoot.Resolve(dataRoot);
        GlueTsvReader.SplitPath(root, task, task.TrainFile);
        GlueTsvReader.SplitPath(root, task, task.DevFile);
        var rate = profile.LearningRate ?? LearningRateDefaults.For(config);
        return new TrialPlan
        {
            Spec = spec, Task = task, Shape = shape, Config = config, Solution = solution, DataRoot = root,
            LearningRate = rate,
            PrefixLearningRate = profile.PrefixLearningRate ?? rate * LearningRateDefaults.PrefixEncoderFactor,
        };
    }

    /// <summary>The longest input <paramref name="config"/> can embed, special tokens included: its position-embedding rows
    /// (HF <c>max_position_embeddings</c>) minus the first position id (RoBERTa reserves 2: 514 − 2 = 512).</summary>
    public static int MaxInputLength(EncoderConfig config) => config.Shape.MaxPositions - config.PositionOffset;

    /// <summary>Refuses a max length the model cannot embed (beyond <see cref="MaxInputLength"/>).</summary>
    /// <param name="maxLength">Maximum tokens per example, special tokens included.</param>
    /// <param name="model">Model name, for the message.</param>
    /// <param name="config">The model's configuration.</param>
    /// <exception cref="ArgumentException"><paramref name="maxLength"/> above <see cref="MaxInputLength"/>; one line naming
    /// the model, its position embeddings and the allowed range.</exception>
    public static void CheckMaxLength(int maxLength, string model, EncoderConfig config)
    {
        var usable = MaxInputLength(config);
        if (maxLength <= usable) return;
        var rows = config.PositionOffset == 0
            ? $"max_position_embeddings {config.Shape.MaxPositions}"
            : $"max_position_embeddings {config.Shape.MaxPositions} minus the padding offset {config.PositionOffset}";
        throw new ArgumentException($"max length {maxLength} is beyond {model}'s {usable} positions ({rows}); allowed: {WordPieceEncoder.MinMaxLength}..{usable}");
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
