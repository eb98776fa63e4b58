using Microsoft.Extensions.Time.Testing;
using PeftGrid.Contracts.Grid;
using PeftGrid.Contracts.Trials;
using PeftGrid.Grains.Scheduler;
using Xunit;

namespace PeftGrid.Grains.Tests.Scheduler;

/// <summary>The result sink: durable first, then ranked, then done — retried with backoff until it lands.</summary>
public sealed class ResultSinkTests
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly FakeTargets targets = new();

    private ResultSink Sink() => new(targets, time, new ListLogger());

    private static Finalization Final(int seed, TrialStatus status = TrialStatus.Succeeded)
    {
        var spec = new TrialSpec { Task = "sst2", Model = "m", Method = "lora-attn", Seed = seed };
        return new Finalization(new CellRecord { Id = spec.CellId, Spec = spec, Status = CellStatus.Running, Attempts = 1 }, SchedulerParts.Result(spec, status), 1.5);
    }

    [Fact]
    public async Task AResultWhoseRecordingFailsIsKeptAndRetriedWithBackoffUntilDurable()
    {
        var sink = Sink();
        var f = Final(1);
        targets.RecordFailures = 3;

        Assert.Empty(await sink.TakeAsync([f]));
        Assert.True(sink.Holds(f.Cell.Id));
        Assert.Empty(await sink.RetryDueAsync()); // not due: backoff 200 ms
        time.Advance(TimeSpan.FromMilliseconds(200));
        Assert.Empty(await sink.RetryDueAsync()); // 2nd failure; next in 400 ms
        time.Advance(TimeSpan.FromMilliseconds(399));
        Assert.Empty(await sink.RetryDueAsync());
        Assert.Equal(2, targets.RecordCalls);
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Empty(await sink.RetryDueAsync()); // 3rd failure; next in 800 ms
        time.Advance(TimeSpan.FromMilliseconds(800));

        var done = await sink.RetryDueAsync();

        Assert.Same(f, Assert.Single(done));
        Assert.False(sink.Holds(f.Cell.Id));
        Assert.Equal(0, sink.Count);
        Assert.Equal(4, targets.RecordCalls);
        Assert.Equal([f.Cell.Id], targets.Recorded);
        Assert.Equal([f.Cell.Id], targets.Ranked); // ranked only once durable
    }

    [Fact]
    public async Task AResultIsRankedOnlyAfterItIsDurableAndALeaderboardFailureIsRetriedWithoutRecordingAgain()
    {
        var sink = Sink();
        var f = Final(2);
        targets.RankFailures = 1;

        Assert.Empty(await sink.TakeAsync([f]));
        Assert.Equal([f.Cell.Id], targets.Recorded);
        Assert.Empty(targets.Ranked);
        time.Advance(ResultSink.MinBackoff);
        Assert.Single(await sink.RetryDueAsync());
        Assert.Equal((1, 1), (targets.RecordCalls, targets.Ranked.Count));
    }

    [Fact]
    public async Task WhenTheExperimentAlreadyHoldsAResultOfTheRunThatOneIsFinal()
    {
        var sink = Sink();
        var f = Final(3);
        var durable = SchedulerParts.Result(f.Cell.Spec, TrialStatus.Diverged) with { Worker = "earlier", TrainSeconds = 7 };
        targets.Existing[f.Cell.Id] = new ExperimentSnapshot { Spec = f.Cell.Spec, Result = durable, Attempts = 2, Run = 1 };

        var done = Assert.Single(await sink.TakeAsync([f]));

        Assert.True(done.Adopted);
        Assert.Same(durable, done.Result);
        Assert.Equal((2, 7.0), (done.Attempts, done.Wall));
    }

    [Fact]
    public async Task TheCapOnTheBackoffIsThirtySeconds()
    {
        var sink = Sink();
        var f = Final(4);
        targets.RecordFailures = int.MaxValue;
        await sink.TakeAsync([f]);
        for (var i = 0; i < 12; i++)
        {
            time.Advance(ResultSink.MaxBackoff);
            await sink.RetryDueAsync();
        }
        Assert.Equal(13, targets.RecordCalls);
        Assert.Equal(time.GetUtcNow().UtcDateTime + ResultSink.MaxBackoff, f.DueUtc);
        Assert.True(sink.Holds(f.Cell.Id));
    }

    /// <summary>Experiment grains and leaderboards in memory, failing the first N calls on request.</summary>
    private sealed class FakeTargets : IResultTargets
    {
        public int RecordFailures { get; set; }
        public int RankFailures { get; set; }
        public int RecordCalls { get; private set; }
        public List<string> Recorded { get; } = [];
        public List<string> Ranked { get; } = [];
        public Dictionary<string, ExperimentSnapshot> Existing { get; } = [];

        public Task<bool> RecordAsync(CellRecord cell, TrialResult result)
        {
            RecordCalls++;
            if (RecordFailures-- > 0)
            {
                throw new InvalidOperationException("storage is down");
            }
            if (Existing.ContainsKey(cell.Id))
            {
                return Task.FromResult(false);
            }
            Recorded.Add(cell.Id);
            return Task.FromResult(true);
        }

        public Task<ExperimentSnapshot> GetAsync(string cellId) => Task.FromResult(Existing.GetValueOrDefault(cellId) ?? new ExperimentSnapshot());

        public Task RankAsync(IReadOnlyList<Finalization> finished)
        {
            if (RankFailures-- > 0)
            {
                throw new InvalidOperationException("leaderboard silo died");
            }
            Ranked.AddRange(finished.Select(f => f.Cell.Id));
            return Task.CompletedTask;
        }
    }
}
