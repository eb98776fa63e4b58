namespace PeftGrid.Grains.Workers;

/// <summary>The local workers of a silo (configuration section <c>PeftGrid:Workers</c>).</summary>
public sealed class WorkerOptions
{
    /// <summary>One worker per entry, e.g. <c>cpu:0</c>, <c>cuda:0</c>, <c>cuda:1</c>; empty means <c>cpu:0</c>
    /// (see <see cref="WorkerSlots"/>). Starts empty because the configuration binder appends to a pre-filled list. The torch runner
    /// takes one device per silo process (the silo refuses more at startup); several entries are for runners without torch state.</summary>
    public List<string> Devices { get; set; } = [];

    /// <summary>The worker slots to run: the distinct <see cref="Devices"/>, or <c>cpu:0</c> when none are configured.</summary>
    public IReadOnlyList<string> WorkerSlots => Devices.Count == 0 ? ["cpu:0"] : Devices.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
    /// <summary>Cells a worker leases per call (≥ 1). 1 for real training; larger for many tiny cells. Default 1.</summary>
    public int LeaseBatch { get; set; } = 1;
    /// <summary>Idle poll interval when the queue is empty, milliseconds. Default 250.</summary>
    public int PollMilliseconds { get; set; } = 250;
    /// <summary>Shortest interval between two curve reports of a running cell to its experiment grain, milliseconds; 0 turns
    /// curve reporting off. Default 1000.</summary>
    public int CurveReportMilliseconds { get; set; } = 1000;
    /// <summary>Run no worker on this silo (a scheduler/storage-only silo). Default false.</summary>
    public bool Disabled { get; set; }

    /// <summary>The torch device of a worker slot: <c>cpu:N</c> and <c>sim:N</c> run on <c>cpu</c>, others as named.</summary>
    public static string TorchDevice(string slot) =>
        slot.StartsWith("cpu", StringComparison.OrdinalIgnoreCase) || slot.StartsWith("sim", StringComparison.OrdinalIgnoreCase) ? "cpu" : slot;
}
