using PeftGrid.Contracts.Trials;
using PeftGrid.Grains.Runners;
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

    [Fact]
    public void AMissingDataRootRefusesEveryCellWithTheReason()
    {
        var runner = RunnerFactory.Create(new SiloSettings { DataRoot = "/nonexistent/peftgrid-data" });
        Assert.IsType<UnavailableTrialRunner>(runner);
        Assert.Contains("/nonexistent/peftgrid-data", runner.Refusal(new TrialSpec { Task = "sst2", Model = "minilm", Method = "lora-attn" }));
    }
}
