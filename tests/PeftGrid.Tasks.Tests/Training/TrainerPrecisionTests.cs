using PeftGrid.Contracts.Trials;
using PeftGrid.Tasks.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace PeftGrid.Tasks.Tests.Training;

/// <summary>The trainer in bf16 and fp16 mixed precision on the toy classifier: it learns, master parameters stay float32, and fp16's
/// loss scaler skips and counts an overflowing step without counting it toward divergence.</summary>
public class TrainerPrecisionTests
{
    private static (TrainOutcome Outcome, ToyClassifier Model, List<double> Losses) Run(TrainerOptions options, Action<TrainStepInfo, ToyClassifier>? onStep = null)
    {
        var losses = new List<double>();
        var (outcome, model) = ToySeparableTask.Train(options, (info, m) => { losses.Add(info.Loss); onStep?.Invoke(info, m); });
        return (outcome, model, losses);
    }

    [Theory]
    [InlineData(TrainingPrecision.Bf16)]
    [InlineData(TrainingPrecision.Fp16)]
    public void Mixed_precision_trains_the_toy_task_with_fp32_master_parameters(TrainingPrecision precision)
    {
        var (o, model, losses) = Run(new TrainerOptions { Epochs = 2, LearningRate = 1e-2, Seed = 3, Precision = precision });
        Assert.Equal(TrainStatus.Completed, o.Status);
        Assert.Equal(40, o.Steps);
        Assert.True(losses[^1] < 0.5 * losses[0], $"loss {losses[0]:0.000} → {losses[^1]:0.000}");
        Assert.True(o.BestScore > 0.9, $"accuracy {o.BestScore}");
        Assert.All(model.parameters(), p => Assert.Equal(ScalarType.Float32, p.dtype));
        if (precision == TrainingPrecision.Fp16)
        {
            Assert.Equal(65536.0 * Math.Pow(0.5, o.OverflowSkippedSteps), o.FinalLossScale); // no growth within 40 < 2000 steps
        }
        else
        {
            Assert.Null(o.FinalLossScale);
            Assert.Equal(0, o.OverflowSkippedSteps);
        }
    }

    [Fact]
    public void Fp16_overflow_is_skipped_counted_and_backs_off_without_diverging()
    {
        Dictionary<string, Tensor>? before = null;
        var unchanged = false;
        var options = new TrainerOptions
        {
            Epochs = 1, LearningRate = 1e-2, Seed = 3, Precision = TrainingPrecision.Fp16, InitialLossScale = 1024, MaxConsecutiveSkippedSteps = 2,
        };
        var (o, _, _) = Run(options, (info, m) =>
        {
            if (info.Step == 5) { before = m.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone()); m.PoisonGradient = true; }
            if (info.Step == 8) // steps 6, 7, 8 had a NaN gradient: three in a row, over MaxConsecutiveSkippedSteps = 2
            {
                unchanged = m.named_parameters().All(p => p.parameter.detach().equal(before![p.name]).all().item<bool>());
                m.PoisonGradient = false;
            }
        });
        Assert.Equal(TrainStatus.Completed, o.Status);
        Assert.True(unchanged, "parameters changed during overflow steps");
        Assert.Equal(20, o.Steps);
        Assert.Equal(3, o.OverflowSkippedSteps);
        Assert.Equal(0, o.SkippedSteps);
        Assert.Equal(128.0, o.FinalLossScale);   // 1024 × 0.5³
        Assert.True(o.BestScore > 0.9, $"accuracy {o.BestScore}");
    }
}
