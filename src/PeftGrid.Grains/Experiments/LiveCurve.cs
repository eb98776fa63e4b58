using PeftGrid.Contracts.Grid;
using PeftGrid.Contracts.Trials;

namespace PeftGrid.Grains.Experiments;

/// <summary>
/// The training curve of the newest lease of a cell, as its worker reports it (<see cref="IExperimentGrain.ReportCurveAsync"/>);
/// in memory only. Leases are ordered by (run, attempt, interruptions): an older one's report is stale, a newer one starts a
/// new curve. Points arrive with the index of the first (<see cref="CurveReport.FromIndex"/>): an overlap is added once, a gap
/// adds nothing (the worker resends from <see cref="Count"/>). Holds at most <see cref="MaxPoints"/> points: later ones are
/// acknowledged (counted, so the worker does not resend them) but not kept — the accepted result carries the whole curve, and a
/// trainer logs about 200 loss points per run, so only a runaway reporter reaches the cap.
/// </summary>
internal sealed class LiveCurve
{
    /// <summary>Most points kept.</summary>
    public const int MaxPoints = 20_000;

    private readonly List<CurvePoint> points = [];
    private (int Run, int Attempt, int Interruptions) lease;
    private TrialProgress? progress;
    private string? worker;
    private DateTime? updatedAtUtc;

    /// <summary>Run of the newest lease reported (0 = none).</summary>
    public int Run => lease.Run;

    /// <summary>Points of the newest lease acknowledged so far (kept or, past <see cref="MaxPoints"/>, dropped).</summary>
    public int Count { get; private set; }

    /// <summary>Takes a report; returns <see cref="Count"/> for its lease, or -1 if the lease is older than the newest seen.</summary>
    public int Take(CurveReport report, DateTime now)
    {
        var key = (report.Run, report.Attempt, report.Interruptions);
        var order = key.CompareTo(lease);
        if (order < 0)
        {
            return -1;
        }
        if (order > 0)
        {
            (lease, Count, progress) = (key, 0, null);
            points.Clear();
        }
        if (report.FromIndex <= Count)
        {
            var skip = Count - report.FromIndex;
            for (var i = skip; i < report.Points.Count; i++)
            {
                if (points.Count < MaxPoints)
                {
                    points.Add(report.Points[i]);
                }
                Count++;
            }
        }
        progress = report.Progress ?? progress;
        worker = report.Worker;
        updatedAtUtc = now;
        return Count;
    }

    /// <summary>The live curve from <paramref name="fromIndex"/> on.</summary>
    public CurveView View(int fromIndex) => new()
    {
        Run = lease.Run, Attempt = lease.Attempt, Live = true, Total = points.Count,
        Points = fromIndex >= points.Count ? [] : points.GetRange(fromIndex, points.Count - fromIndex),
        Progress = progress, Worker = worker, UpdatedAtUtc = updatedAtUtc,
    };
}
