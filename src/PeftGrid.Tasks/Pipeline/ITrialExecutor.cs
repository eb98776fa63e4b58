using PeftGrid.Peft.Catalog;
using PeftGrid.Tasks.Runner;

namespace PeftGrid.Tasks.Pipeline;

/// <summary>Runs the trials of one task kind in this process (<see cref="TrialExecutor{TModel}"/>); registered in <see cref="TrialExecutors"/>.</summary>
public interface ITrialExecutor
{
    /// <summary>The catalog task kind it runs.</summary>
    TaskKind Kind { get; }

    /// <summary>Trains and scores <paramref name="plan"/>. Never throws for a bad cell: an exception becomes a
    /// <see cref="Contracts.Trials.TrialStatus.Failed"/> result with the reason.</summary>
    /// <param name="plan">The validated trial.</param>
    /// <param name="run">Device, threads, progress and cancellation.</param>
    TrialExecution Execute(TrialPlan plan, TrialRunOptions run);
}
