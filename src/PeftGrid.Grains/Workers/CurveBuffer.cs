using PeftGrid.Contracts.Trials;

namespace PeftGrid.Grains.Workers;

/// <summary>
/// The progress sink of one running lease: a synchronous <see cref="IProgress{T}"/> (unlike <see cref="Progress{T}"/>, which posts
/// each report to the thread pool, out of order) that appends the report's <see cref="TrialProgress.Points"/> and keeps the latest
/// progress, under a lock held for a list append — the training thread only enqueues. The worker's reporting loop reads it
/// (<see cref="From"/>) and records what the experiment grain holds (<see cref="Sent"/>).
/// </summary>
internal sealed class CurveBuffer(Action<TrialProgress>? onProgress = null) : IProgress<TrialProgress>
{
    private readonly Lock gate = new();
    private readonly List<CurvePoint> points = [];
    private TrialProgress? latest;
    private long version;

    /// <summary>Index the next report starts from: the point count the experiment grain last returned; -1 once the grain said
    /// the lease is stale (reporting stops).</summary>
    public int Sent { get; set; }

    /// <summary>The <see cref="From"/> version the grain has all of (nothing new to send while it is current).</summary>
    public long SentVersion { get; set; } = -1;

    /// <inheritdoc/>
    public void Report(TrialProgress value)
    {
        lock (gate)
        {
            points.AddRange(value.Points);
            latest = value.Points.Count == 0 ? value : value with { Points = [] };
            version++;
        }
        onProgress?.Invoke(value);
    }

    /// <summary>The points from <paramref name="index"/> on, the latest progress and the version (it grows with every report).</summary>
    public (List<CurvePoint> Points, TrialProgress? Progress, long Version) From(int index)
    {
        lock (gate)
        {
            var from = Math.Clamp(index, 0, points.Count);
            return (points.GetRange(from, points.Count - from), latest, version);
        }
    }
}
