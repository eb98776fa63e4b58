namespace PeftGrid.Contracts.Grid;

/// <summary>Well-known grain keys.</summary>
public static class GrainKeys
{
    /// <summary>Key of the one cluster-wide <see cref="ISchedulerGrain"/>.</summary>
    public const string Scheduler = "default";

    /// <summary>Key of the <see cref="ILeaderboardGrain"/> of a task and model: <c>task|model</c> (task lower-cased).</summary>
    /// <param name="task">Task name, e.g. <c>sst2</c>.</param>
    /// <param name="model">Model name, e.g. <c>minilm</c>.</param>
    public static string Leaderboard(string task, string model) => $"{task.Trim().ToLowerInvariant()}|{model.Trim()}";

    /// <summary>Storage provider name every PeftGrid grain persists to; the host registers it once.</summary>
    public const string Storage = "peftgrid";
}
