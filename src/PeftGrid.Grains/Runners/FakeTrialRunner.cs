using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using PeftGrid.Contracts.Trials;
using PeftGrid.Grains.Scheduler;
using PeftGrid.Peft.Catalog;

namespace PeftGrid.Grains.Runners;

/// <summary>Options of <see cref="FakeTrialRunner"/> (configuration section <c>PeftGrid:Fake</c>).</summary>
public sealed class FakeRunnerOptions
{
    /// <summary>Wall time of one trial, milliseconds (≥ 0). Default 50.</summary>
    public int CellMilliseconds { get; set; } = 50;
    /// <summary>Interval between the training-loss points a running trial reports, milliseconds (≥ 1). Default 100.</summary>
    public int CurveMilliseconds { get; set; } = 100;
    /// <summary>A cell whose method contains any of these substrings always fails.</summary>
    public List<string> FailMethods { get; set; } = [];
    /// <summary>A cell whose task is one of these is refused at submission (the fake cluster's <see cref="FakeTrialRunner.Admission"/>).</summary>
    public List<string> RefuseTasks { get; set; } = [];
    /// <summary>Tasks its workers register (names or aliases); empty = every task. Starts empty because the configuration binder appends.</summary>
    public List<string> Tasks { get; set; } = [];
    /// <summary>Named models its workers register; empty = every name (the tests use made-up model names as tags).</summary>
    public List<string> Models { get; set; } = [];
    /// <summary>Its workers run checkpoint folder paths. Default true.</summary>
    public bool CheckpointPaths { get; set; } = true;
    /// <summary>Seeds whose cells always fail (deterministic failures for fault tests).</summary>
    public List<int> FailSeeds { get; set; } = [];
    /// <summary>Seeds whose cells end <see cref="TrialStatus.Diverged"/> (loss NaN at step 1, no metrics).</summary>
    public List<int> DivergeSeeds { get; set; } = [];
    /// <summary>Seed → the accuracy a Succeeded cell of that seed reports instead of <see cref="FakeTrialRunner.ScoreOf"/>, e.g.
    /// <c>NaN</c>, <c>Infinity</c>, <c>-Infinity</c> (environment <c>PeftGrid__Fake__Scores__3=NaN</c>).</summary>
    public Dictionary<int, double> Scores { get; set; } = [];
    /// <summary>Seeds whose cells hold their finished result for <see cref="HoldMilliseconds"/> before returning it (a
    /// <c>hold</c> line in the run log marks the start), so a test can kill a silo while the result is being handed off.</summary>
    public List<int> HoldSeeds { get; set; } = [];
    /// <summary>How long a <see cref="HoldSeeds"/> cell holds its result, milliseconds (≥ 0). Default 3000.</summary>
    public int HoldMilliseconds { get; set; } = 3000;
    /// <summary>
    /// Run log: each process appends its lines (<c>start|end|hold\tcellId\tpid\tdevice</c>) to its own file
    /// <c>{RunLogPath}.{pid}</c>, because .NET's <see cref="FileMode.Append"/> is a positional write, not POSIX
    /// <c>O_APPEND</c>, so two silo processes appending to one file overwrite each other's lines
    /// (dotnet/runtime#53432). Readers take the union of <c>{RunLogPath}.*</c>. Null = no log.
    /// </summary>
    public string? RunLogPath { get; set; }
}

/// <summary>
/// A deterministic stand-in for the torch runner, used only by scheduling tests, benchmarks, the dashboard and the silo-kill
/// tests: sleeps <see cref="FakeRunnerOptions.CellMilliseconds"/>, reporting a decreasing training-loss point every
/// <see cref="FakeRunnerOptions.CurveMilliseconds"/> (<see cref="LossAt"/>) and, at the end, an evaluation point of its accuracy;
/// then returns an accuracy derived from the spec's hash, the whole curve and, like the torch runner, a training block
/// (<see cref="TrainingOf"/>).
/// Counts runs per cell in <see cref="Runs"/> (per process) and optionally in a run log file. Its capabilities come
/// from the options (every task and model by default).
/// </summary>
public sealed class FakeTrialRunner(FakeRunnerOptions options) : ITrialRunner
{
    private static readonly Lock LogLock = new();

    /// <summary>Finished runs per cell id in this process.</summary>
    public static ConcurrentDictionary<string, int> Runs { get; } = new();

    /// <summary>The options in use.</summary>
    public FakeRunnerOptions Options { get; } = options;

    /// <inheritdoc/>
    public RunnerCapabilities Capabilities { get; } = new()
    {
        Tasks = options.Tasks.Count == 0 ? [RunnerCapabilities.Any] : options.Tasks.Select(TaskCatalog.Canonical).ToList(),
        Models = options.Models.Count == 0 ? [RunnerCapabilities.Any] : options.Models.Select(ModelCatalog.Canonical).ToList(),
        CheckpointPaths = options.CheckpointPaths,
    };

    /// <summary>
    /// The admission of a cluster of fake runners: the cells of scheduling tests and benchmarks use made-up model and
    /// method names, so it admits every cell except those of <see cref="FakeRunnerOptions.RefuseTasks"/>.
    /// </summary>
    public ICellAdmission Admission => new FakeAdmission(Options.RefuseTasks);

    /// <inheritdoc/>
    public string? Refusal(TrialSpec spec) =>
        Admission.Refusal(spec) ?? (Capabilities.Covers(CellNeed.Of(spec)) ? null : $"the fake runner does not run {spec.Task}/{spec.Model} ({Capabilities})");

    /// <inheritdoc/>
    public async Task<TrialResult> RunAsync(TrialSpec spec, string device, IProgress<TrialProgress>? progress, CancellationToken cancellationToken)
    {
        if (Refusal(spec) is { } why)
        {
            return Build(spec, TrialStatus.Failed, why, DateTime.UtcNow);
        }
        var id = spec.CellId;
        Log("start", id, device);
        var started = DateTime.UtcNow;
        var curve = new List<CurvePoint>();
        var steps = Math.Max(1, (Options.CellMilliseconds + Options.CurveMilliseconds - 1) / Math.Max(1, Options.CurveMilliseconds));
        try
        {
            await TrainAsync(steps, curve, progress, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return Build(spec, TrialStatus.Cancelled, "cancelled", started) with { Curve = curve };
        }
        Runs.AddOrUpdate(id, 1, (_, n) => n + 1);
        Log("end", id, device);
        if (Options.HoldSeeds.Contains(spec.Seed))
        {
            Log("hold", id, device);
            await Task.Delay(Options.HoldMilliseconds, CancellationToken.None); // the result is held even if cancelled: a handoff, not a run
        }
        var outcome = Outcome(spec, started);
        if (outcome.Metrics.TryGetValue("accuracy", out var accuracy))
        {
            var eval = new CurvePoint { Kind = CurveKind.Evaluation, Step = steps, Epoch = 1, Seconds = (DateTime.UtcNow - started).TotalSeconds, Name = "accuracy", Value = accuracy };
            curve.Add(eval);
            progress?.Report(new TrialProgress { Step = steps, TotalSteps = steps, Loss = LossAt(steps, steps), ExamplesPerSecond = 1000, Epoch = 1, Points = [eval] });
        }
        return outcome with { Curve = curve };
    }

    /// <summary>The fake training loss after <paramref name="step"/> of <paramref name="steps"/>: from 0.7 down to 0.25.</summary>
    public static double LossAt(long step, long steps) => 0.25 + 0.45 * Math.Exp(-3.0 * step / Math.Max(1, steps));

    /// <summary>Sleeps the cell's time in <paramref name="steps"/> steps of about <see cref="FakeRunnerOptions.CurveMilliseconds"/>,
    /// one loss point (reported, and added to <paramref name="curve"/>) after each.</summary>
    private async Task TrainAsync(int steps, List<CurvePoint> curve, IProgress<TrialProgress>? progress, CancellationToken cancellationToken)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (var step = 1; step <= steps; step++)
        {
            var due = Options.CellMilliseconds * (long)step / steps;
            var wait = due - clock.ElapsedMilliseconds;
            if (wait > 0)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(wait), cancellationToken);
            }
            var point = new CurvePoint { Kind = CurveKind.Loss, Step = step, Epoch = (double)step / steps, Seconds = clock.Elapsed.TotalSeconds, Name = "loss", Value = LossAt(step, steps) };
            curve.Add(point);
            progress?.Report(new TrialProgress { Step = step, TotalSteps = steps, Loss = point.Value, ExamplesPerSecond = 1000, Epoch = 1, Points = [point] });
        }
    }

    private TrialResult Outcome(TrialSpec spec, DateTime started)
    {
        var fail = Options.FailMethods.FirstOrDefault(f => spec.Method.Contains(f, StringComparison.OrdinalIgnoreCase));
        if (fail is not null || Options.FailSeeds.Contains(spec.Seed))
        {
            return Build(spec, TrialStatus.Failed, fail is null ? $"fake failure: seed {spec.Seed}" : $"fake failure: method '{spec.Method}' matches '{fail}'", started);
        }
        if (Options.DivergeSeeds.Contains(spec.Seed))
        {
            return Build(spec, TrialStatus.Diverged, "fake divergence: loss NaN at step 1", started) with { DivergedAtStep = 1 };
        }
        var result = Build(spec, TrialStatus.Succeeded, null, started);
        return Options.Scores.TryGetValue(spec.Seed, out var score)
            ? result with { Metrics = new Dictionary<string, double> { ["accuracy"] = score } }
            : result;
    }

    /// <summary>The deterministic accuracy the fake runner reports for a spec: in [0.6, 0.9], higher for larger budgets.</summary>
    public static double ScoreOf(TrialSpec spec)
    {
        var h = SHA256.HashData(Encoding.UTF8.GetBytes(spec.Method + "|" + spec.Seed));
        var u = BitConverter.ToUInt32(h, 0) / (double)uint.MaxValue;
        return 0.6 + 0.25 * u + Math.Min(0.05, 0.01 * (spec.BudgetPercent ?? 5));
    }

    private static TrialResult Build(TrialSpec spec, TrialStatus status, string? error, DateTime started)
    {
        const long total = 22_713_216;
        var percent = spec.BudgetPercent ?? (spec.Method.StartsWith("full", StringComparison.Ordinal) ? 100.0 : 0.1);
        var paper = (long)Math.Round(total * percent / 100);
        return new TrialResult
        {
            CellId = spec.CellId,
            Task = spec.Task,
            Model = spec.Model,
            Method = spec.Method,
            Seed = spec.Seed,
            Status = status,
            Error = error,
            BudgetTier = spec.BudgetPercent,
            Budget = new BudgetReport { PaperCount = paper, TrainableCount = paper + 1538, TotalCount = total, Percent = percent },
            Metrics = status == TrialStatus.Succeeded ? new Dictionary<string, double> { ["accuracy"] = ScoreOf(spec) } : new Dictionary<string, double>(),
            TrainSeconds = (DateTime.UtcNow - started).TotalSeconds,
            ExamplesPerSecond = 1000,
            BestEpoch = 1,
            Versions = new Dictionary<string, string> { ["runner"] = "fake" },
            Training = status == TrialStatus.Succeeded ? TrainingOf(spec) : null,
        };
    }

    /// <summary>The training block the fake runner reports for a succeeded <paramref name="spec"/>: the profile's settings, one
    /// epoch at <see cref="ScoreOf"/>, 1,000 training and 100 evaluation examples unless the profile caps them lower.</summary>
    public static TrainingDetails TrainingOf(TrialSpec spec)
    {
        var p = spec.Profile;
        var train = Math.Min(p.MaxTrainExamples ?? 1000, 1000);
        return new TrainingDetails
        {
            LearningRate = p.LearningRate ?? 1e-3, PrefixLearningRate = p.PrefixLearningRate, Epochs = p.Epochs, BatchSize = p.BatchSize,
            MaxLength = p.MaxLength, TrainExamples = train, EvalExamples = Math.Min(p.MaxEvalExamples ?? 100, 100), EvalFile = "fake/dev.tsv",
            Steps = (long)p.Epochs * ((train + p.BatchSize - 1) / Math.Max(1, p.BatchSize)),
            EpochAccuracies = Enumerable.Repeat(ScoreOf(spec), p.Epochs).ToList(), FinalTrainLoss = 0.5, Threads = 1,
            WeightDecay = 0.1, WarmupRatio = 0.06, MaxGradNorm = 1.0, MaxConsecutiveSkippedSteps = 10,
        };
    }

    private void Log(string kind, string cellId, string device)
    {
        if (Options.RunLogPath is not { } path)
        {
            return;
        }
        var line = $"{kind}\t{cellId}\t{Environment.ProcessId}\t{device}\n";
        lock (LogLock)
        {
            File.AppendAllText($"{path}.{Environment.ProcessId}", line);
        }
    }
}

/// <summary>Refuses the cells of <paramref name="refuseTasks"/> and admits every other (see <see cref="FakeTrialRunner.Admission"/>).</summary>
internal sealed class FakeAdmission(IReadOnlyList<string> refuseTasks) : ICellAdmission
{
    /// <inheritdoc/>
    public string? Refusal(TrialSpec spec) =>
        refuseTasks.Contains(spec.Task, StringComparer.OrdinalIgnoreCase) ? $"the fake runner refuses task '{spec.Task}'" : null;
}
