using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;
using Orleans.TestingHost;
using PeftGrid.Contracts.Grid;
using PeftGrid.Grains.Runners;
using PeftGrid.Grains.Workers;
using Xunit;

namespace PeftGrid.Grains.Tests.Workers;

/// <summary>One in-process silo with one fake worker whose cells run <see cref="CellMilliseconds"/> with a loss point every
/// 100 ms, reporting curves every 200 ms.</summary>
public sealed class CurveClusterFixture : IAsyncLifetime
{
    /// <summary>How long a cell runs.</summary>
    public const int CellMilliseconds = 3000;

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IClusterClient Client => Cluster.Client;

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddMemoryGrainStorage(GrainKeys.Storage, ob => ob.Configure<IServiceProvider>((o, sp) =>
                o.GrainStorageSerializer = new OrleansGrainStorageSerializer(sp.GetRequiredService<Serializer>())));
            var runner = new FakeTrialRunner(new FakeRunnerOptions { CellMilliseconds = CellMilliseconds, CurveMilliseconds = 100 });
            silo.Services.AddPeftGridWorkers(new WorkerOptions { Devices = ["cpu:0"], PollMilliseconds = 20, CurveReportMilliseconds = 200 }, runner, runner.Admission);
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }
}
