using PeftGrid.Contracts.Grid;
using PeftGrid.Contracts.Trials;
using Xunit;
using Xunit.Abstractions;

namespace PeftGrid.Integration.Tests.Faults;

/// <summary>
/// A worker whose lease was revoked reports late (a real silo scheduler, the test acting as two workers): a stale Failed or
/// Succeeded report is <c>Rejected</c> and changes nothing; the live attempt's result is the cell's one result.
/// </summary>
[Collection(FaultsCollection.Name)]
public sealed class StaleReportTests(ITestOutputHelper output)
{
    private static readonly RunnerCapabilities Any = new() { Tasks = [RunnerCapabilities.Any], Models = [RunnerCapabilities.Any], CheckpointPaths = true, Devices = ["cpu:0"] };

    [Fact]
    public Task StaleFailedReportIsRejectedAndTheLiveAttemptWins() => StaleReportAsync(TrialStatus.Failed);

    [Fact]
    public Task StaleSucceededReportIsRejectedAndTheLiveAttemptWins() => StaleReportAsync(TrialStatus.Succeeded);

    private async Task StaleReportAsync(TrialStatus stale)
    {
        await using var c = new FaultCluster(output);
        await c.StartRedisAsync();
        // The silo's own workers run no cell of this sweep (model filter): the test's two workers are the only ones.
        await c.StartSilosAsync(new Dictionary<string, string> { ["PeftGrid__Fake__Models__0"] = "no-such-model" }, true, "s");
        await using var client = await c.ConnectAsync();
        var scheduler = client.Cluster.GetGrain<ISchedulerGrain>(GrainKeys.Scheduler);
        var sweep = FaultCluster.Sweep("stale", 1, leaseSeconds: 2, maxAttempts: 2);
        Assert.Equal(1, (await client.SubmitAsync(sweep)).Added);
        var cellId = sweep.Cells[0].CellId;

        await scheduler.RegisterWorkerAsync("old/cpu:0", Any);
        await scheduler.RegisterWorkerAsync("new/cpu:0", Any);
        var first = Assert.Single((await scheduler.ExchangeAsync("old/cpu:0", [], 1)).Leases);
        // "old" goes silent: its lease expires and "new" gets the cell.
        var second = await LeaseAsync(scheduler, "new/cpu:0", TimeSpan.FromSeconds(30));
        Assert.Equal(cellId, second.CellId);
        Assert.NotEqual(first.Token, second.Token);
        await scheduler.HeartbeatAsync("new/cpu:0", [new HeldLease { CellId = cellId, Token = second.Token }]);

        var late = Completion(first, stale, 0.11);
        var reply = await scheduler.ExchangeAsync("old/cpu:0", [late], 0);
        Assert.Equal(Enum.Parse<CompletionOutcome>("Rejected"), Assert.Single(reply.Outcomes));
        var cell = Assert.Single(await scheduler.GetCellsAsync("stale"));
        Assert.Equal(CellStatus.Running, cell.Status);
        Assert.Equal("new/cpu:0", cell.Worker);
        Assert.Empty((await scheduler.HeartbeatAsync("new/cpu:0", [new HeldLease { CellId = cellId, Token = second.Token }])).Lost);

        var live = await scheduler.ExchangeAsync("new/cpu:0", [Completion(second, TrialStatus.Succeeded, 0.93)], 0);
        Assert.Equal(CompletionOutcome.Accepted, Assert.Single(live.Outcomes));
        var status = await client.GetStatusAsync("stale");
        Assert.Equal((1, 0, 0), (status.Succeeded, status.Failed, status.Pending));
        var snap = await client.Cluster.GetGrain<IExperimentGrain>(cellId).GetAsync();
        Assert.Equal(0.93, snap.Result!.Metrics["accuracy"]);

        // Once the cell is done, the stale report is still rejected and the recorded result stays.
        Assert.Equal(Enum.Parse<CompletionOutcome>("Rejected"), Assert.Single((await scheduler.ExchangeAsync("old/cpu:0", [late], 0)).Outcomes));
        Assert.Equal(0.93, (await client.Cluster.GetGrain<IExperimentGrain>(cellId).GetAsync()).Result!.Metrics["accuracy"]);
    }

    private static async Task<CellLease> LeaseAsync(ISchedulerGrain scheduler, string worker, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if ((await scheduler.ExchangeAsync(worker, [], 1)).Leases is [var lease])
            {
                return lease;
            }
            await Task.Delay(200);
        }
        throw new Xunit.Sdk.XunitException($"{worker} got no lease within {timeout}");
    }

    private static CellCompletion Completion(CellLease lease, TrialStatus status, double accuracy) => new()
    {
        CellId = lease.CellId,
        Token = lease.Token,
        WallSeconds = 1,
        Result = new TrialResult
        {
            CellId = lease.CellId, Task = lease.Spec.Task, Model = lease.Spec.Model, Method = lease.Spec.Method, Seed = lease.Spec.Seed,
            Status = status, Error = status == TrialStatus.Failed ? "stale failure" : null, BudgetTier = lease.Spec.BudgetPercent,
            Metrics = status == TrialStatus.Succeeded ? new Dictionary<string, double> { ["accuracy"] = accuracy } : new Dictionary<string, double>(),
        },
    };
}
