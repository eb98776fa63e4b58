namespace PeftGrid.Contracts.Grid;

/// <summary>
/// One device of one silo (key <c>silo/device</c>, e.g. <c>node1/cuda:0</c>): registration, heartbeat, what it
/// runs and its throughput. The silo's worker loop reports here; the training itself never crosses a grain call.
/// </summary>
public interface IGpuWorkerGrain : IGrainWithStringKey
{
    /// <summary>Records the worker's latest state (registration on first call, heartbeat afterwards).</summary>
    Task ReportAsync(WorkerInfo info);

    /// <summary>The latest report, or null if the worker never reported to this activation.</summary>
    Task<WorkerInfo?> GetAsync();
}
