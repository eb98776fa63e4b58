using PeftGrid.Contracts.Trials;
using PeftGrid.Tasks.Runner;

namespace PeftGrid.Tasks.Tests.Runner;

/// <summary>A real MiniLM SST-2 run (64 examples, batch 8, 1 epoch: 8 steps, a few seconds) carries its training curve in the
/// result and streams the same points through the progress reports.</summary>
public class TorchTrialRunnerCurveTests
{
    private sealed class SyncProgress(List<TrialProgress> sink) : IProgress<TrialProgress>
    {
        public void Report(TrialProgress value) => sink.Add(value);
    }

    [Fact]
    public async Task The_result_holds_the_curve_and_the_progress_reports_carried_the_same_points_once_in_order()
    {
        var runner = new TorchTrialRunner(TestData.Root, threads: 2);
        var spec = new TrialSpec
        {
            Task = "sst2", Model = "minilm", Method = "lora-attn", BudgetPercent = 0.5, Seed = 3,
            Profile = new TrainingProfile { MaxTrainExamples = 64, MaxEvalExamples = 32, MaxLength = 24, BatchSize = 8 },
        };
        var reports = new List<TrialProgress>();
        var result = await runner.RunAsync(spec, "cpu", new SyncProgress(reports), CancellationToken.None);

        Assert.True(result.Status == TrialStatus.Succeeded, result.Error);
        Assert.Equal(8, result.Training!.Steps);
        var curve = result.Curve;
        Assert.Equal(9, curve.Count);                                            // 8 steps, interval 1; accuracy once
        Assert.Equal(Enumerable.Range(1, 8).Select(s => (long)s), curve.Take(8).Select(p => p.Step));
        Assert.All(curve.Take(8), p => Assert.True(p.Kind == CurveKind.Loss && p.Value is > 0 and < 5, $"{p}"));
        Assert.Equal(1.0, curve[7].Epoch);
        var evaluation = curve[8];
        Assert.Equal((CurveKind.Evaluation, "accuracy", 8L, 1.0), (evaluation.Kind, evaluation.Name, evaluation.Step, evaluation.Epoch));
        Assert.Equal(result.Metrics["accuracy"], evaluation.Value);             // one epoch: the best epoch's accuracy
        Assert.Equal(result.Training.FinalTrainLoss!.Value, curve.Take(8).Average(p => p.Value), 5);

        Assert.Equal(curve, reports.SelectMany(r => r.Points));                   // every point once, in order
        Assert.Equal(8, reports[^1].Step);
        Assert.Contains("\"curve\": [", ResultJson.Serialize(result));
        Assert.Equal(curve, ResultJson.Read(WriteTemp(result)).Curve);
    }

    private static string WriteTemp(TrialResult result)
    {
        var path = Path.Combine(Path.GetTempPath(), "peftgrid-curve-" + Guid.NewGuid().ToString("N")[..8] + ".json");
        ResultJson.Write(path, result);
        return path;
    }
}
