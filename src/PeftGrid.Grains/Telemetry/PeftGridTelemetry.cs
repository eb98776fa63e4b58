using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace PeftGrid.Grains.Telemetry;

/// <summary>
/// The names PeftGrid reports under: one <see cref="ActivitySource"/> and one <see cref="Meter"/>, both named
/// <c>PeftGrid</c>. Spans: <c>peftgrid.cell</c> per cell from queued to result, <c>peftgrid.trial</c> per attempt.
/// </summary>
public static class PeftGridTelemetry
{
    /// <summary>Source and meter name.</summary>
    public const string Name = "PeftGrid";

    /// <summary>Spans.</summary>
    public static readonly ActivitySource Source = new(Name, typeof(PeftGridTelemetry).Assembly.GetName().Version?.ToString());

    /// <summary>Metrics.</summary>
    public static readonly Meter Meter = new(Name, typeof(PeftGridTelemetry).Assembly.GetName().Version?.ToString());

    /// <summary><c>peftgrid.cells</c>: cells reaching a status, tag <c>status</c>.</summary>
    public static readonly Counter<long> Cells = Meter.CreateCounter<long>("peftgrid.cells", "{cell}", "Cells reaching a status (tag status).");

    /// <summary><c>peftgrid.cell.duration</c>: wall time of an attempt, seconds.</summary>
    public static readonly Histogram<double> CellDuration = Meter.CreateHistogram<double>("peftgrid.cell.duration", "s", "Wall time of one cell attempt.");

    /// <summary><c>peftgrid.trial.examples_per_second</c>: training throughput of finished attempts.</summary>
    public static readonly Histogram<double> ExamplesPerSecond = Meter.CreateHistogram<double>("peftgrid.trial.examples_per_second", "{example}/s", "Training throughput of a finished attempt.");

    /// <summary><c>peftgrid.lease.expiries</c>: leases that expired without a heartbeat (the cell was requeued).</summary>
    public static readonly Counter<long> LeaseExpiries = Meter.CreateCounter<long>("peftgrid.lease.expiries", "{lease}", "Leases expired for missed heartbeats.");

    private static long queueDepth;

    /// <summary>Sets the value the <c>peftgrid.queue.depth</c> gauge reports (cells pending on this silo's scheduler).</summary>
    public static void SetQueueDepth(long depth) => Interlocked.Exchange(ref queueDepth, depth);

    static PeftGridTelemetry()
    {
        Meter.CreateObservableGauge("peftgrid.queue.depth", () => Interlocked.Read(ref queueDepth), "{cell}", "Cells pending in the scheduler queue.");
    }
}
