using PeftGrid.Contracts.Trials;
using PeftGrid.Grains.Runners;
using PeftGrid.Grains.Workers;
using PeftGrid.Silo.Hosting;
using PeftGrid.Tasks.Runner;
using Xunit;

namespace PeftGrid.Integration.Tests;

public class RunnerFactoryTests
{
    [Fact]
    public void TheSiloRunsTheRealTorchRunnerByDefault()
    {
        var runner = RunnerFactory.Create(new SiloSettings { DataRoot = TestData.Root });
        Assert.IsType<TorchTrialRunner>(runner);
        Assert.Null(runner.Refusal(new TrialSpec { Task = "sst2", Model = "minilm", Method = "lora-attn", BudgetPercent = 0.5 }));
        Assert.Contains("unknown model", runner.Refusal(new TrialSpec { Task = "sst2", Model = "gpt9", Method = "lora-attn" }));
    }

    private const string TwoDevicesError = "PeftGrid__Workers__Devices__N lists 2 devices (cuda:0, cuda:1) but the torch runner trains on 1 device per "
        + "silo process: TorchSharp 0.107 draws dropout and init from process-global generators, so concurrent trials would not be "
        + "reproducible; run one silo per device";

    private static Dictionary<string, string?> Settings(string runner, params string[] devices)
    {
        var cfg = new Dictionary<string, string?>
        {
            ["PeftGrid:Runner"] = runner, ["PeftGrid:DataRoot"] = TestData.Root, ["PeftGrid:Dashboard:Enabled"] = "false",
            ["PeftGrid:SiloPort"] = Processes.FreePort().ToString(), ["PeftGrid:GatewayPort"] = Processes.FreePort().ToString(),
        };
        for (var i = 0; i < devices.Length; i++) cfg[$"PeftGrid:Workers:Devices:{i}"] = devices[i];
        return cfg;
    }

    [Fact]
    public void TheTorchRunnerOnSeveralDevicesIsRefusedWithTheSettingAndTheReason()
    {
        var e = Assert.Throws<ArgumentException>(() => SiloHost.Build([], Settings("torch", "cuda:0", "cuda:1")));
        Assert.Equal(TwoDevicesError, e.Message);
        var cpus = Assert.Throws<ArgumentException>(() => SiloHost.Build([], Settings("torch", "cpu:0", "cpu:1", "cpu:2")));
        Assert.StartsWith("PeftGrid__Workers__Devices__N lists 3 devices (cpu:0, cpu:1, cpu:2)", cpus.Message);
    }

    [Fact]
    public void OneTorchDeviceAFakeRunnerOnManyOrNoWorkersAtAllStart()
    {
        using (SiloHost.Build([], Settings("torch", "cuda:0"))) { }
        using (SiloHost.Build([], Settings("torch"))) { }                                   // default cpu:0
        using (SiloHost.Build([], Settings("fake", "cpu:0", "cpu:1", "cpu:2", "cpu:3"))) { }
        using (SiloHost.Build([], new Dictionary<string, string?>(Settings("torch", "cuda:0", "cuda:1")) { ["PeftGrid:Workers:Disabled"] = "true" })) { }
        RunnerFactory.CheckDevices(new WorkerOptions { Devices = ["cuda:0", "cuda:1"] }, new UnavailableTrialRunner("no data"));   // trains nothing
    }

    [Fact]
    public async Task TheSiloProcessExitsWithTheOneLineError()
    {
        using var silo = new Processes.Silo(new Dictionary<string, string>
        {
            ["PeftGrid__Runner"] = "torch", ["PeftGrid__DataRoot"] = TestData.Root, ["PeftGrid__Dashboard__Enabled"] = "false",
            ["PeftGrid__Workers__Devices__0"] = "cuda:0", ["PeftGrid__Workers__Devices__1"] = "cuda:1",
            ["PeftGrid__SiloPort"] = Processes.FreePort().ToString(), ["PeftGrid__GatewayPort"] = Processes.FreePort().ToString(),
        });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await silo.Process.WaitForExitAsync(timeout.Token);
        Assert.Equal(1, silo.Process.ExitCode);
        Assert.Equal("peftgrid-silo: error: " + TwoDevicesError, silo.Log.Trim());
    }

    [Fact]
    public void AMissingDataRootRefusesEveryCellWithTheReason()
    {
        var runner = RunnerFactory.Create(new SiloSettings { DataRoot = "/nonexistent/peftgrid-data" });
        Assert.IsType<UnavailableTrialRunner>(runner);
        Assert.Contains("/nonexistent/peftgrid-data", runner.Refusal(new TrialSpec { Task = "sst2", Model = "minilm", Method = "lora-attn" }));
    }
}
