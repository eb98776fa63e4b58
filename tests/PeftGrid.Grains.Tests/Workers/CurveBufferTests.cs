using PeftGrid.Contracts.Trials;
using PeftGrid.Grains.Workers;
using Xunit;

namespace PeftGrid.Grains.Tests.Workers;

/// <summary>The worker's synchronous progress sink: points in report order, read from any index, the latest progress kept.</summary>
public sealed class CurveBufferTests
{
    private static TrialProgress Step(int step, int points) => new()
    {
        Step = step, TotalSteps = 10, Loss = 1.0 / step,
        Points = Enumerable.Range(0, points).Select(i => new CurvePoint { Step = step, Value = step + i / 10.0 }).ToList(),
    };

    [Fact]
    public void ReportsAreKeptInOrderAndReadFromTheIndexTheGrainHolds()
    {
        var seen = new List<long>();
        var buffer = new CurveBuffer(p => seen.Add(p.Step));
        IProgress<TrialProgress> sink = buffer;

        sink.Report(Step(1, 2));
        sink.Report(Step(2, 0));
        sink.Report(Step(3, 1));

        var (all, latest, version) = buffer.From(0);
        Assert.Equal([1.0, 1.1, 3.0], all.Select(p => p.Value));
        Assert.Equal((3L, 3L, 0), (version, latest!.Step, latest.Points.Count)); // the latest progress without its points
        Assert.Equal([3.0], buffer.From(2).Points.Select(p => p.Value));
        Assert.Empty(buffer.From(7).Points); // past the end (the grain's count can never exceed it; clamped)
        Assert.Equal([1L, 2L, 3L], seen); // called synchronously, in order
        Assert.Equal((0, -1L), (buffer.Sent, buffer.SentVersion));
    }
}
