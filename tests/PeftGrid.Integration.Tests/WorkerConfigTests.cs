using Microsoft.Extensions.Configuration;
using PeftGrid.Grains.Workers;
using PeftGrid.Silo.Hosting;
using Xunit;

namespace PeftGrid.Integration.Tests;

/// <summary>One worker per configured device: configuration replaces the default, never adds a second cpu:0.</summary>
public class WorkerConfigTests
{
    private static SiloSettings Bind(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build().GetSection(SiloSettings.Section).Get<SiloSettings>() ?? new SiloSettings();

    [Fact]
    public void AConfiguredCpuDeviceIsTheOnlyWorker()
    {
        var settings = Bind(new() { ["PeftGrid:Workers:Devices:0"] = "cpu:0" });
        Assert.Equal(["cpu:0"], settings.Workers.WorkerSlots);
    }

    [Fact]
    public void NoConfigurationMeansOneCpuWorkerAndGpusReplaceIt()
    {
        Assert.Equal(["cpu:0"], new WorkerOptions().WorkerSlots);
        var settings = Bind(new() { ["PeftGrid:Workers:Devices:0"] = "cuda:0", ["PeftGrid:Workers:Devices:1"] = "cuda:1" });
        Assert.Equal(["cuda:0", "cuda:1"], settings.Workers.WorkerSlots);
    }
}
