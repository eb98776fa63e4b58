using System.Diagnostics;
using PeftGrid.Contracts.Trials;
using PeftGrid.Models.Bert;
using PeftGrid.Models.Seq2Seq;
using PeftGrid.Peft.Catalog;
using PeftGrid.Tasks.Classification;
using PeftGrid.Tasks.Runner;
using PeftGrid.Tasks.Seq2Seq;

namespace PeftGrid.Tasks.Pipeline;

/// <summary>
/// The trial executors of this build, keyed by the catalog's task kind (<see cref="TaskKind"/>): a plan goes to the executor of its
/// <see cref="TrialPlan.TaskKind"/>. <see cref="Default"/> holds GLUE classification (<see cref="GlueClassificationTask"/> +
/// <see cref="ClassifierFactory"/>) and seq2seq (<see cref="Seq2SeqTask"/> + <see cref="Seq2SeqModelFactory"/>).
/// </summary>
public sealed class TrialExecutors
{
    private readonly Dictionary<TaskKind, ITrialExecutor> byKind = [];

    /// <summary>A registry of <paramref name="executors"/>.</summary>
    /// <exception cref="ArgumentException">Two executors for one kind.</exception>
    public TrialExecutors(IEnumerable<ITrialExecutor> executors)
    {
        foreach (var e in executors)
        {
            if (!byKind.TryAdd(e.Kind, e)) throw new ArgumentException($"two trial executors for task kind '{Name(e.Kind)}'", nameof(executors));
        }
    }

    /// <summary>This build's executors: GLUE classification on a <see cref="SequenceClassifier"/>; XSum / WMT16 en-ro on a
    /// <see cref="Seq2SeqModel"/> (<see cref="Seq2SeqTask"/> + <see cref="Seq2SeqModelFactory"/>).</summary>
    public static TrialExecutors Default { get; } = new([
        new TrialExecutor<SequenceClassifier>(new GlueClassificationTask(), new ClassifierFactory()),
        new TrialExecutor<Seq2SeqModel>(new Seq2SeqTask(), new Seq2SeqModelFactory()),
    ]);

    /// <summary>The task kinds with an executor, in enum order.</summary>
    public IReadOnlyList<TaskKind> Kinds => byKind.Keys.Order().ToList();

    /// <summary>The executor of <paramref name="kind"/>.</summary>
    /// <exception cref="ArgumentException">No executor for it; the message lists the kinds there are.</exception>
    public ITrialExecutor For(TaskKind kind) => byKind.TryGetValue(kind, out var e) ? e
        : throw new ArgumentException($"no trial executor for task kind '{Name(kind)}' (known: {string.Join(", ", Kinds.Select(Name))})");

    private static string Name(TaskKind kind) => kind.ToString().ToLowerInvariant();

    /// <summary>Validates <paramref name="spec"/> (<see cref="TrialPlan.Create"/>) and runs it with the executor of its task kind.
    /// Never throws for a bad cell: a validation error becomes a <see cref="TrialStatus.Failed"/> result with the reason.</summary>
    /// <param name="spec">The cell.</param>
    /// <param name="dataRoot">Data root, or null for the default (<see cref="Data.DataRoot"/>).</param>
    /// <param name="run">Device, threads, progress, cancellation; null = CPU with every processor.</param>
    public TrialExecution Execute(TrialSpec spec, string? dataRoot, TrialRunOptions? run = null)
    {
        var clock = Stopwatch.StartNew();
        TrialPlan plan;
        ITrialExecutor executor;
        try
        {
            plan = TrialPlan.Create(spec, dataRoot);
            executor = For(plan.TaskKind);
        }
        catch (Exception e)
        {
            return new TrialExecution { Result = TrialResults.Failed(spec, e.Message, clock.Elapsed) };
        }
        return executor.Execute(plan, run ?? new TrialRunOptions());
    }
}
