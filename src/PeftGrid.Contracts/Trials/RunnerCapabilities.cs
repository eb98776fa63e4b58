using PeftGrid.Peft.Catalog;

namespace PeftGrid.Contracts.Trials;

/// <summary>
/// What an <see cref="ITrialRunner"/> can execute, as a worker registers it with the scheduler: the scheduler leases a
/// worker only cells its capabilities cover (<see cref="Covers"/>). Names are canonical (<see cref="TaskCatalog"/>,
/// <see cref="ModelCatalog"/>); <see cref="Any"/> matches every name.
/// </summary>
[GenerateSerializer, Immutable, Alias("peftgrid.RunnerCapabilities")]
public sealed record RunnerCapabilities
{
    /// <summary>The wildcard entry of <see cref="Tasks"/> or <see cref="Models"/>: every task or every named model.</summary>
    public const string Any = "*";

    /// <summary>Tasks it trains, canonical names (<c>sst2</c>, <c>mnli</c>, <c>mnli-mm</c>).</summary>
    [Id(0)] public IReadOnlyList<string> Tasks { get; init; } = [];
    /// <summary>Named models it loads, canonical names (<c>minilm</c>).</summary>
    [Id(1)] public IReadOnlyList<string> Models { get; init; } = [];
    /// <summary>It loads HF checkpoint folders given by path (when the folder is on its machine).</summary>
    [Id(2)] public bool CheckpointPaths { get; init; }
    /// <summary>Devices it runs on, e.g. <c>cpu</c>, <c>cuda:0</c> (filled in by the registering worker; informative).</summary>
    [Id(3)] public IReadOnlyList<string> Devices { get; init; } = [];
    /// <summary>Why it runs nothing (e.g. its data root is missing), or null; shown in the reason a cell waits.</summary>
    [Id(4)] public string? Unavailable { get; init; }

    /// <summary>Runs nothing, because of <paramref name="reason"/>.</summary>
    public static RunnerCapabilities None(string reason) => new() { Unavailable = reason };

    /// <summary>True if it trains the task with canonical name <paramref name="task"/>.</summary>
    public bool RunsTask(string task) => Tasks.Contains(Any) || Tasks.Contains(task, StringComparer.OrdinalIgnoreCase);

    /// <summary>True if it loads the cell's model: a named model it lists, or a checkpoint path when <see cref="CheckpointPaths"/>.</summary>
    public bool RunsModel(CellNeed need) =>
        need.CheckpointPath ? CheckpointPaths : Models.Contains(Any) || Models.Contains(need.Model, StringComparer.OrdinalIgnoreCase);

    /// <summary>True if it can run a cell needing <paramref name="need"/>.</summary>
    public bool Covers(CellNeed need) => Unavailable is null && RunsTask(need.Task) && RunsModel(need);

    /// <summary>One line for logs: <c>tasks sst2, mnli; models minilm; checkpoint paths: no</c>.</summary>
    public override string ToString() => Unavailable is { } why
        ? $"unavailable: {why}"
        : $"tasks {string.Join(", ", Tasks)}; models {string.Join(", ", Models)}; checkpoint paths: {(CheckpointPaths ? "yes" : "no")}";
}

/// <summary>
/// What a worker must run for a cell: its task and model by canonical name (a name outside the catalogs is kept as
/// written, trimmed, a task lower-cased), and whether the model is a checkpoint folder path. Cells with equal
/// <see cref="Key"/> need the same capabilities.
/// </summary>
/// <param name="Task">Canonical task name.</param>
/// <param name="Model">Canonical model name, or the checkpoint path.</param>
/// <param name="CheckpointPath">The model is an HF checkpoint folder path (<see cref="ModelCatalog.IsCheckpointPath"/>).</param>
public readonly record struct CellNeed(string Task, string Model, bool CheckpointPath)
{
    /// <summary>The need of <paramref name="spec"/>.</summary>
    public static CellNeed Of(TrialSpec spec) =>
        new(TaskCatalog.Canonical(spec.Task), ModelCatalog.Canonical(spec.Model), ModelCatalog.IsCheckpointPath(spec.Model));

    /// <summary><c>task|model</c>: cells with one key need the same capabilities.</summary>
    public string Key => $"{Task}|{Model}";
}
