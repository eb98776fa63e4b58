using PeftGrid.Contracts.Trials;
using PeftGrid.Models.Bert;
using PeftGrid.Peft.Budget;
using PeftGrid.Tasks.Adapters;
using PeftGrid.Tasks.Pipeline;
using PeftGrid.Tasks.Runner;
using TorchSharp;

namespace PeftGrid.Tasks.Tests.Adapters;

public class AdapterFilesTests
{
    [Fact]
    public void An_adapter_with_a_non_finite_value_is_refused_and_nothing_is_written()
    {
        var spec = new TrialSpec { Task = "sst2", Model = "minilm", Method = "lora-attn[r=2]", Seed = 1 };
        var plan = TrialPlan.Create(spec, TestData.Root);
        torch.manual_seed(1);
        var model = new SequenceClassifier(new BertEncoder(new EncoderConfig(new ModelShape("tiny", 32, 2, 4, 128, 100, 64, 2))), 2);
        model.ApplyPeft(plan.Config);
        var loraB = model.TrainableParameters().First(p => p.Name.EndsWith("lora_B.weight", StringComparison.Ordinal));
        using (torch.no_grad()) loraB.Parameter[0, 0] = float.NaN;
        using var execution = new TrialExecution
        {
            Result = new TrialResult { CellId = spec.CellId, Task = "sst2", Model = "minilm", Method = plan.Config.Spec, Status = TrialStatus.Diverged },
            Plan = plan, Model = model,
        };
        var folder = Path.Combine(Path.GetTempPath(), "peftgrid-adapter-" + Guid.NewGuid().ToString("N")[..10]);

        var e = Assert.Throws<InvalidOperationException>(() => AdapterFiles.Save(folder, execution));
        Assert.Equal($"refusing to save the adapter to '{folder}': tensor '{loraB.Name}' holds NaN/inf values (trial status diverged)", e.Message);
        Assert.False(Directory.Exists(folder));

        using (torch.no_grad()) loraB.Parameter[0, 0] = float.PositiveInfinity;
        Assert.Throws<InvalidOperationException>(() => AdapterFiles.Save(folder, execution));
        using (torch.no_grad()) loraB.Parameter[0, 0] = 0.5f;
        AdapterFiles.Save(folder, execution);
        Assert.True(File.Exists(Path.Combine(folder, AdapterFiles.WeightsFile)));
    }
}
