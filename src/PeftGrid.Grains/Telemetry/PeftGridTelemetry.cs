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

    /// <summary>
    /// <c>peftgrid.cell.scheduling_overhead</c>: per cell, seconds, measured by the worker. Tag <c>phase</c>:
    /// <c>lease</c> = round trip of the scheduler call that granted the cell, <c>accept</c> = round trip of the call
    /// that got its result accepted, <c>total</c> = their sum (training time excluded).
    /// </summary>
    public static readonly Histogram<double> SchedulingOverhead = Meter.CreateHistogram<double>(
        "peftgrid.cell.scheduling_overhead", "s", "Per-cell scheduler round trips (tag phase: lease, accept, total).");

    /// <summary>Tag of the lease phase of <see cref="SchedulingOverhead"/>.</summary>
    public static readonly KeyValuePair<string, object?> LeasePhase = new("phase", "lease");

    /// <summary>Tag of the accept phase of <see cref="SchedulingOverhead"/>.</summary>
    public static readonly KeyValuePair<string, object?> AcceptPhase = new("phase", "accept");

    /// <summary>Tag of the total of <see cref="SchedulingOverhead"/>.</summary>
    public static readonly KeyValuePair<string, object?> TotalPhase = new("phase", "total");

    private static long queueDepth;

    /// <summary>Sets the value the <c>peftgrid.queue.depth</c> gauge reports (cells pending on this silo's scheduler).</summary>
    public static void SetQueueDepth(long depth) => Interlocked.Exchange(ref queueDepth, depth);

    static PeftGridTelemetry()
    {
        Meter.CreateObservableGauge("peftgrid.queue.depth", () => Interlocked.Read(ref queueDepth), "{cell}", "Cells pending in the scheduler queue.");
    }
}
