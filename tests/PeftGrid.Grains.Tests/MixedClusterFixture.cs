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

/// <summary>
/// Three in-process silos whose runners execute different things, all admitting cells by the catalogs (the real
/// admission): silo 0 runs sst2 on minilm (workers <c>sim:a0</c>, <c>sim:a1</c>), silo 1 runs mnli on minilm and
/// bert-base-uncased (<c>sim:b0</c>), silo 2 has no trainer (an <see cref="UnavailableTrialRunner"/>, <c>sim:c0</c>).
/// The scheduler lands on any of them.
/// </summary>
public sealed class MixedClusterFixture : IAsyncLifetime
{
    /// <summary>Why silo 2 runs nothing.</summary>
    public const string NoTrainer = "data root '/nowhere' does not exist";

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public ISchedulerGrain Scheduler => Cluster.Client.GetGrain<ISchedulerGrain>(GrainKeys.Scheduler);

    public async Task InitializeAsync()
    {
        var silo = 0;
        var builder = new InProcessTestClusterBuilder(3);
        builder.ConfigureSilo((_, s) =>
        {
            (List<string> Devices, ITrialRunner Runner) setup = Interlocked.Increment(ref silo) switch
            {
                1 => (["sim:a0", "sim:a1"], Fake(["sst2"], ["minilm"])),
                2 => (["sim:b0"], Fake(["mnli"], ["minilm", "bert-base-uncased"])),
                _ => (["sim:c0"], new UnavailableTrialRunner(NoTrainer)),
            };
            Storage(s);
            s.Services.AddPeftGridWorkers(new WorkerOptions { Devices = setup.Devices, PollMilliseconds = 20 }, setup.Runner);
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }

    /// <summary>A fake runner (10 ms per cell) with the given capabilities.</summary>
    public static FakeTrialRunner Fake(List<string> tasks, List<string> models) =>
        new(new FakeRunnerOptions { CellMilliseconds = 10, Tasks = tasks, Models = models, CheckpointPaths = false });

    /// <summary>In-memory PeftGrid storage with Orleans' binary serializer, as the silo host registers it.</summary>
    public static void Storage(Orleans.Hosting.ISiloBuilder silo) =>
        silo.AddMemoryGrainStorage(GrainKeys.Storage, ob => ob.Configure<IServiceProvider>((o, sp) =>
            o.GrainStorageSerializer = new OrleansGrainStorageSerializer(sp.GetRequiredService<Serializer>())));

    /// <summary>Polls the sweep's status until <paramref name="done"/> holds.</summary>
    public static async Task<SweepStatus> WaitAsync(ISchedulerGrain scheduler, string sweepId, Func<SweepStatus, bool> done, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var status = await scheduler.GetStatusAsync(sweepId);
            if (done(status))
            {
                return status;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"sweep {sweepId} after {timeout}: {status} waiting [{string.Join("; ", status.Waiting)}]");
            }
            await Task.Delay(25);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class MixedClusterCollection : ICollectionFixture<MixedClusterFixture>
{
    public const string Name = "mixed-cluster";
}
