namespace PeftGrid.Tasks.Pipeline;

/// <summary>The kinds of task the trial pipeline knows, the keys of <see cref="TrialExecutors"/>.</summary>
public static class TaskKinds
{
    /// <summary>Sequence (pair) classification scored by accuracy: the GLUE tasks (<see cref="Classification.GlueClassificationTask"/>).</summary>
    public const string Classification = "classification";
}
