using PeftGrid.Contracts.Trials;

namespace PeftGrid.Contracts.Grid;

/// <summary>What a worker (one device of one silo) reports about itself.</summary>
[GenerateSerializer, Immutable, Alias("peftgrid.WorkerInfo")]
public sealed record WorkerInfo
{
    /// <summary>Worker id, <c>silo/device</c>, e.g. <c>node1/cuda:0</c>.</summary>
    [Id(0)] public required string WorkerId { get; init; }
    /// <summary>Torch device string, e.g. <c>cpu</c>, <c>cuda:0</c>.</summary>
    [Id(1)] public string Device { get; init; } = "";
    /// <summary>Cells it is running now.</summary>
    [Id(2)] public IReadOnlyList<string> Running { get; init; } = [];
    /// <summary>Attempts it finished since it started.</summary>
    [Id(3)] public long Completed { get; init; }
    /// <summary>Latest training throughput, examples per second (0 when idle or unknown).</summary>
    [Id(4)] public double ExamplesPerSecond { get; init; }
    /// <summary>Last report time (UTC).</summary>
    [Id(5)] public DateTime LastSeenUtc { get; init; }
    /// <summary>What its runner can execute (as registered with the scheduler).</summary>
    [Id(6)] public RunnerCapabilities? Capabilities { get; init; }
}
