using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;
using Orleans.TestingHost;
using PeftGrid.Contracts.Grid;
using PeftGrid.Contracts.Trials;
using PeftGrid.Grains.Runners;
using PeftGrid.Grains.Workers;
using Xunit;

namespace PeftGrid.Grains.Tests;

/// <summary>Two in-process silos × 4 workers = 8 workers, in-memory storage, the fake runner.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public static readonly FakeRunnerOptions Fake = new()
    {
        CellMilliseconds = 10, FailMethods = ["always-fail"], RefuseTasks = ["unrunnable"],
    };

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IClusterClient Client => Cluster.Client;

    public ISchedulerGrain Scheduler => Client.GetGrain<ISchedulerGrain>(GrainKeys.Scheduler);

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddMemoryGrainStorage(GrainKeys.Storage, ob => ob.Configure<IServiceProvider>((o, sp) =>
                o.GrainStorageSerializer = new OrleansGrainStorageSerializer(sp.GetRequiredService<Serializer>())));
            var runner = new FakeTrialRunner(Fake);
            silo.Services.AddPeftGridWorkers(
                new WorkerOptions { Devices = ["cpu:0", "cpu:1", "cpu:2", "cpu:3"], PollMilliseconds = 20 },
                runner, runner.Admission);
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }

    /// <summary>Polls the sweep until no cell is pending or running.</summary>
    public async Task<SweepStatus> WaitCompleteAsync(string sweepId, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var status = await Scheduler.GetStatusAsync(sweepId);
            if (status.IsComplete)
            {
                return status;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"sweep {sweepId} not complete after {timeout}: {status}");
            }
            await Task.Delay(25);
        }
    }

    /// <summary>Cells differing by seed, unique to <paramref name="tag"/> (used as the model name).</summary>
    public static List<TrialSpec> Cells(string tag, int count, string method = "lora-attn") =>
        Enumerable.Range(0, count).Select(i => new TrialSpec { Task = "sst2", Model = tag, Method = method, BudgetPercent = 0.5, Seed = i }).ToList();
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
