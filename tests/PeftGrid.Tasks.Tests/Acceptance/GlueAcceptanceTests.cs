using PeftGrid.Contracts.Trials;
using PeftGrid.Tasks.Runner;
using Xunit.Abstractions;

namespace PeftGrid.Tasks.Tests.Acceptance;

/// <summary>
/// Issue 3's real-data acceptance on the real MiniLM, seed 42, default learning rates, one epoch, 2 threads. CI runs the reduced
/// size with floors that prove learning (chance: 50 % on SST-2, 33 % on MNLI). With <c>PEFTGRID_ACCEPTANCE=full</c> the same cases
/// run at the size and floors (SST-2: 20,000 examples, ≥ 86 % full, ≥ 84 % for the PEFT methods at 0.5 %; MNLI: all
/// 14,110 pairs, ≥ 60 %; MAM trains two epochs there — one epoch of its fresh adapters reaches 57 %); README "Training on GLUE" has the measured numbers.
/// The SST-2 cases run in bf16 mixed precision too (issue 12), with the same floors.
/// </summary>
[Trait("Category", "Slow")]
public class GlueAcceptanceTests(ITestOutputHelper output)
{
    private static bool FullSize => string.Equals(Environment.GetEnvironmentVariable("PEFTGRID_ACCEPTANCE"), "full", StringComparison.OrdinalIgnoreCase);

    [Theory]
    //          task    method       precision tier  maxLen  CI n   CI floor  full n (0 = all) full floor  full epochs
    [InlineData("sst2", "full",      "fp32",   null, 64,     3_000, 0.75,     20_000, 0.86, 1)]
    [InlineData("sst2", "mam",       "fp32",   0.5,  64,     3_000, 0.75,     20_000, 0.84, 1)]
    [InlineData("sst2", "lora-attn", "fp32",   0.5,  64,     3_000, 0.75,     20_000, 0.84, 1)]
    [InlineData("sst2", "pa-ffn",    "fp32",   0.5,  64,     3_000, 0.75,     20_000, 0.84, 1)]
    [InlineData("sst2", "full",      "bf16",   null, 64,     3_000, 0.75,     20_000, 0.86, 1)]
    [InlineData("sst2", "mam",       "bf16",   0.5,  64,     3_000, 0.75,     20_000, 0.84, 1)]
    [InlineData("sst2", "lora-attn", "bf16",   0.5,  64,     3_000, 0.75,     20_000, 0.84, 1)]
    [InlineData("sst2", "pa-ffn",    "bf16",   0.5,  64,     3_000, 0.75,     20_000, 0.84, 1)]
    [InlineData("mnli", "full",      "fp32",   null, 128,    4_000, 0.44,     0,      0.60, 1)]
    [InlineData("mnli", "mam",       "fp32",   0.5,  128,    4_000, 0.40,     0,      0.60, 2)]
    public async Task Reaches_the_accuracy_floor(string task, string method, string precision, double? budget, int maxLength,
        int ciExamples, double ciFloor, int fullExamples, double fullFloor, int fullEpochs)
    {
        var spec = new TrialSpec
        {
            Task = task, Model = "minilm", Method = method, BudgetPercent = budget, Seed = 42,
            Profile = new TrainingProfile
            {
                MaxTrainExamples = FullSize ? (fullExamples > 0 ? fullExamples : null) : ciExamples, MaxLength = maxLength,
                Epochs = FullSize ? fullEpochs : 1, Precision = TrainingPrecisions.Parse(precision),
            },
        };
        var result = await new TorchTrialRunner(TestData.Root, threads: 2).RunAsync(spec, "cpu", null, CancellationToken.None);
        output.WriteLine(ResultJson.Serialize(result));
        Assert.True(result.Status == TrialStatus.Succeeded, result.Error);
        var floor = FullSize ? fullFloor : ciFloor;
        var accuracy = result.Metrics["accuracy"];
        Assert.True(accuracy >= floor, $"{task} {result.Method} {precision}: accuracy {accuracy:0.0000} < floor {floor}");
        if (budget is { } tier) Assert.InRange(result.Budget.Percent, tier * 0.9, tier * 1.1);
        Assert.True(result.TrainSeconds <= 15 * 60, $"took {result.TrainSeconds:0} s (> 15 min)");
    }
}
