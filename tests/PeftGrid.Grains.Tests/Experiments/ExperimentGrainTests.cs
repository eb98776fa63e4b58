using PeftGrid.Contracts.Grid;
using PeftGrid.Contracts.Trials;
using PeftGrid.Grains.Tests.Scheduler;
using Xunit;

namespace PeftGrid.Grains.Tests.Experiments;

[Collection(FaultClusterCollection.Name)]
public sealed class ExperimentGrainTests(FaultClusterFixture fx)
{
    private static readonly TrialSpec Spec = new() { Task = "sst2", Model = "experiment-runs", Method = "lora-attn", Seed = 1 };

    [Fact]
    public async Task OneResultPerRunAndANewerRunMovesTheCurrentOneToTheHistory()
    {
        var grain = fx.Client.GetGrain<IExperimentGrain>(Spec.CellId);
        var first = SchedulerParts.Result(Spec, TrialStatus.Diverged);
        var second = SchedulerParts.Result(Spec, TrialStatus.Succeeded, 0.91);

        Assert.True(await grain.RecordAsync(Spec, first, 2, 1));
        Assert.False(await grain.RecordAsync(Spec, second, 1, 1)); // same run: duplicate
        Assert.True(await grain.RecordAsync(Spec, second, 1, 2));
        Assert.False(await grain.RecordAsync(Spec, first, 1, 1)); // older run: duplicate

        var snap = await grain.GetAsync();
        Assert.Equal((2, 1, TrialStatus.Succeeded, 2), (snap.Run, snap.Attempts, snap.Result!.Status, snap.DuplicatesRejected));
        var history = Assert.Single(snap.History);
        Assert.Equal((1, 2, TrialStatus.Diverged), (history.Run, history.Attempts, history.Result.Status));
    }

    [Fact]
    public async Task VerifyReReadsStorageAndSaysWhetherTheResultOfTheRunIsStillThere()
    {
        var spec = Spec with { Seed = 2 };
        var grain = fx.Client.GetGrain<IExperimentGrain>(spec.CellId);
        Assert.False(await grain.VerifyAsync(1));
        Assert.True(await grain.RecordAsync(spec, SchedulerParts.Result(spec, TrialStatus.Succeeded), 1, 1));
        Assert.True(await grain.VerifyAsync(1));
        Assert.False(await grain.VerifyAsync(2));

        Assert.True(fx.Storage.Delete("experiment", fx.Id<IExperimentGrain>(spec.CellId)));

        Assert.False(await grain.VerifyAsync(1));
        Assert.Null((await grain.GetAsync()).Result);
    }

    [Fact]
    public async Task AFailedWriteLeavesNoResultBehind()
    {
        var spec = Spec with { Seed = 3 };
        var grain = fx.Client.GetGrain<IExperimentGrain>(spec.CellId);
        var id = fx.Id<IExperimentGrain>(spec.CellId);
        fx.Storage.FailWrite = (_, g) => g == id;
        try
        {
            var e = await Assert.ThrowsAnyAsync<Exception>(() => grain.RecordAsync(spec, SchedulerParts.Result(spec, TrialStatus.Succeeded), 1, 1));
            Assert.Contains("injected storage failure", e.ToString());
        }
        finally
        {
            fx.Storage.FailWrite = null;
        }
        Assert.Null((await grain.GetAsync()).Result);
        Assert.True(await grain.RecordAsync(spec, SchedulerParts.Result(spec, TrialStatus.Succeeded), 1, 1));
    }
}
