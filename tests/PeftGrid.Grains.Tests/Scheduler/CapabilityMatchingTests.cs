using Orleans.TestingHost;
using PeftGrid.Contracts.Grid;
using PeftGrid.Contracts.Trials;
using PeftGrid.Grains.Runners;
using PeftGrid.Grains.Workers;
using Xunit;

namespace PeftGrid.Grains.Tests.Scheduler;

/// <summary>The scheduler refuses only cells invalid everywhere and leases each worker only cells its runner can execute.</summary>
[Collection(MixedClusterCollection.Name)]
public sealed class CapabilityMatchingTests(MixedClusterFixture fx)
{
    private static TrialSpec Cell(string task, string model, int seed, string method = "lora-attn", double? budget = 0.5, int maxLength = 128) => new()
    {
        Task = task, Model = model, Method = method, BudgetPercent = budget, Seed = seed, Profile = new TrainingProfile { MaxLength = maxLength },
    };

    [Fact]
    public async Task TwoWorkersWithDifferentCapabilitiesEachGetOnlyTheCellsTheyCanRun()
    {
        var sst2 = Enumerable.Range(100, 12).Select(i => Cell("sst2", "minilm", i)).ToList();
        var mnli = Enumerable.Range(100, 12).Select(i => Cell(i % 2 == 0 ? "mnli" : "MNLI", i % 3 == 0 ? "bert-base-uncased" : "minilm", i)).ToList();
        var submit = await fx.Scheduler.SubmitAsync(new SweepRequest { SweepId = "match", Cells = [.. sst2, .. mnli] });
        Assert.Equal((24, 0), (submit.Added, submit.Refused.Count));

        var status = await MixedClusterFixture.WaitAsync(fx.Scheduler, "match", s => s.IsComplete, TimeSpan.FromSeconds(30));

        Assert.Equal(24, status.Succeeded);
        var cells = await fx.Scheduler.GetCellsAsync("match");
        var bySpec = cells.ToDictionary(c => c.CellId);
        Assert.All(sst2, c => Assert.Matches("/sim:a[01]$", bySpec[c.CellId].Worker));
        Assert.All(mnli, c => Assert.EndsWith("/sim:b0", bySpec[c.CellId].Worker));
        Assert.Empty(status.Waiting);
        Assert.All(cells, c => Assert.Equal(1, c.Attempts));
    }

    [Fact]
    public async Task ACellNoRegisteredWorkerCanRunStaysQueuedWithTheReason()
    {
        List<TrialSpec> runnable = [Cell("sst2", "minilm", 200), Cell("mnli", "minilm", 200)];
        List<TrialSpec> roberta = [Cell("sst2", "roberta-base", 200), Cell("mnli", "roberta-base", 200)];
        var mismatched = Cell("mnli-mm", "minilm", 200);
        var folder = Cell("sst2", "/models/my-bert", 200);
        var submit = await fx.Scheduler.SubmitAsync(new SweepRequest { SweepId = "wait", Cells = [.. runnable, .. roberta, mismatched, folder] });
        Assert.Equal((6, 0), (submit.Added, submit.Refused.Count));

        // Stalled once every worker has registered (until then the reason is "no worker is registered").
        var status = await MixedClusterFixture.WaitAsync(fx.Scheduler, "wait",
            s => s.Succeeded == 2 && s.IsStalled && s.Waiting.All(w => w.Reason.Contains("unavailable")), TimeSpan.FromSeconds(30));

        Assert.Equal((4, 0, 0), (status.Pending, status.Running, status.Failed));
        var unavailable = $" (1 unavailable: {MixedClusterFixture.NoTrainer})";
        Assert.Equal(
            [("no worker runs model roberta-base" + unavailable, 2), ("no worker loads checkpoint folders" + unavailable, 1), ("no worker runs task mnli-mm" + unavailable, 1)],
            status.Waiting.Select(w => (w.Reason, w.Cells)));
        var cells = (await fx.Scheduler.GetCellsAsync("wait")).ToDictionary(c => c.CellId);
        Assert.StartsWith("no worker runs task mnli-mm", cells[mismatched.CellId].Waiting);
        Assert.All(runnable, c => Assert.Null(cells[c.CellId].Waiting));
        Assert.All(roberta.Append(mismatched).Append(folder), c => Assert.Equal((CellStatus.Pending, 0), (cells[c.CellId].Status, cells[c.CellId].Attempts)));

        // Still queued a while later: no worker was handed a cell it cannot run.
        await Task.Delay(300);
        Assert.Equal(4, (await fx.Scheduler.GetStatusAsync("wait")).Pending);
        await fx.Scheduler.CancelAsync("wait");
    }

    [Fact]
    public async Task RefusalsAreTheSameWhicheverSiloHostsTheScheduler()
    {
        var request = new SweepRequest
        {
            SweepId = "refusals",
            Cells =
            [
                Cell("sst2", "minilm", 300),                          // runs on silo 0
                Cell("sst2", "roberta-base", 300),                    // valid, no worker: queued
                Cell("cola", "minilm", 300),                          // unknown task
                Cell("sst2", "gpt9", 300),                            // unknown model
                Cell("xsum", "minilm", 300),                          // an encoder cannot run seq2seq
                Cell("sst2", "minilm", 300, maxLength: 1024),         // beyond the position embeddings
                Cell("sst2", "minilm", 300, method: "bitfit", budget: 5), // unreachable budget
                Cell("sst2", "minilm", 300, method: "lorax"),         // bad spec
            ],
        };
        var mixed = await fx.Scheduler.SubmitAsync(request);

        // A cluster whose only silo, hosting the scheduler, has no trainer at all.
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, s) =>
        {
            MixedClusterFixture.Storage(s);
            s.Services.AddPeftGridWorkers(new WorkerOptions { Devices = ["sim:z0"], PollMilliseconds = 20 }, new UnavailableTrialRunner(MixedClusterFixture.NoTrainer));
        });
        await using var lone = builder.Build();
        await lone.DeployAsync();
        var scheduler = lone.Client.GetGrain<ISchedulerGrain>(GrainKeys.Scheduler);
        var alone = await scheduler.SubmitAsync(request);

        Assert.Equal((2, 6), (mixed.Added, mixed.Refused.Count));
        Assert.Equal(alone.Added, mixed.Added);
        Assert.Equal(alone.Refused.Select(r => (r.CellId, r.Reason)), mixed.Refused.Select(r => (r.CellId, r.Reason)));
        Assert.Equal(request.Cells.Skip(2).Select(c => c.CellId), mixed.Refused.Select(r => r.CellId));
        Assert.StartsWith("unknown task 'cola'", mixed.Refused[0].Reason);
        Assert.Contains("cannot run task 'xsum'", mixed.Refused[2].Reason);

        // There, nothing runs and the sweep says why: its one worker has no trainer.
        var status = await MixedClusterFixture.WaitAsync(scheduler, "refusals", s => s.IsStalled && s.Waiting.All(w => w.Reason.Contains("unavailable")), TimeSpan.FromSeconds(30));
        Assert.Equal([$"no worker runs task sst2 (1 unavailable: {MixedClusterFixture.NoTrainer})"], status.Waiting.Select(w => w.Reason));
        Assert.Equal(2, status.WaitingCount);
        await lone.StopAllSilosAsync();
        await fx.Scheduler.CancelAsync("refusals");
    }
}
