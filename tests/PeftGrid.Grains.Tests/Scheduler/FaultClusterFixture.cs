using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;
using Orleans.TestingHost;
using PeftGrid.Contracts.Grid;
using PeftGrid.Contracts.Trials;
using PeftGrid.Grains.Runners;
using PeftGrid.Grains.Workers;
using Xunit;

namespace PeftGrid.Grains.Tests.Scheduler;

/// <summary>One in-process silo with 2 fake workers on a <see cref="FaultyGrainStorage"/>. Tests that need full control use a
/// scheduler under their own key (no worker talks to it) and drive it through the real API as a <see cref="ManualWorker"/>.</summary>
public sealed class FaultClusterFixture : IAsyncLifetime
{
    public InProcessTestCluster Cluster { get; private set; } = null!;

    public FaultyGrainStorage Storage { get; private set; } = null!;

    public IClusterClient Client => Cluster.Client;

    public ISchedulerGrain Scheduler => Client.GetGrain<ISchedulerGrain>(GrainKeys.Scheduler);

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddKeyedSingleton<IGrainStorage>(GrainKeys.Storage, (sp, _) => Storage ??= new FaultyGrainStorage(sp.GetRequiredService<Serializer>()));
            var runner = new FakeTrialRunner(ClusterFixture.Fake);
            silo.Services.AddPeftGridWorkers(new WorkerOptions { Devices = ["cpu:0", "cpu:1"], PollMilliseconds = 20 }, runner, runner.Admission);
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
        // The storage is created when the first grain with state activates.
        await Client.GetGrain<IExperimentGrain>("warm-up").GetAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }

    /// <summary>The storage id of a grain.</summary>
    public GrainId Id<TGrain>(string key) where TGrain : IGrainWithStringKey => Client.GetGrain<TGrain>(key).GetGrainId();
}

[CollectionDefinition(Name)]
public sealed class FaultClusterCollection : ICollectionFixture<FaultClusterFixture>
{
    public const string Name = "fault-cluster";
}

/// <summary>A worker driven by a test through the scheduler's real API: it reports whatever the test says.</summary>
public sealed class ManualWorker(ISchedulerGrain scheduler, string id)
{
    public string Id { get; } = id;

    public Task RegisterAsync() => scheduler.RegisterWorkerAsync(Id, new RunnerCapabilities { Tasks = [RunnerCapabilities.Any], Models = [RunnerCapabilities.Any] });

    public async Task<IReadOnlyList<CellLease>> LeaseAsync(int n = 1) => (await scheduler.ExchangeAsync(Id, [], n)).Leases;

    public async Task<CompletionOutcome> ReportAsync(CellLease lease, TrialStatus status, double accuracy = 0.8) =>
        (await scheduler.ExchangeAsync(Id, [new CellCompletion { CellId = lease.CellId, Token = lease.Token, Result = SchedulerParts.Result(lease.Spec, status, accuracy) with { Worker = Id }, WallSeconds = 0.1 }], 0)).Outcomes.Single();

    public Task<HeartbeatReply> HeartbeatAsync(params CellLease[] leases) =>
        scheduler.HeartbeatAsync(Id, leases.Select(l => new HeldLease { CellId = l.CellId, Token = l.Token }).ToList());

    /// <summary>Leases until it gets a cell (the scheduler holds leases back for a moment after activation).</summary>
    public async Task<CellLease> LeaseOneAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            if ((await LeaseAsync()).FirstOrDefault() is { } lease)
            {
                return lease;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{Id} got no lease");
            }
            await Task.Delay(50);
        }
    }
}
