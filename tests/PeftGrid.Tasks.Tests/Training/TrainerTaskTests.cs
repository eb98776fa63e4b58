using PeftGrid.Peft.Adapters;
using PeftGrid.Tasks.Pipeline;
using PeftGrid.Tasks.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PeftGrid.Tasks.Tests.Training;

/// <summary>The trainer knows no task: any <see cref="ITaskData{TModel}"/> with its own model, loss and metrics trains.</summary>
public class TrainerTaskTests
{
    /// <summary>y = x·w + b for x ∈ ℝ⁴.</summary>
    private sealed class Regressor : nn.Module<Tensor, Tensor>
    {
        private readonly Linear linear;

        public Regressor() : base(nameof(Regressor))
        {
            linear = nn.Linear(4, 1);
            RegisterComponents();
        }

        public override Tensor forward(Tensor x) => linear.forward(x).squeeze(-1);

        public List<(string Name, Parameter Parameter, ParameterRole Role)> Roles() =>
            named_parameters().Select(p => (p.name, p.parameter, ParameterRole.TaskHead)).ToList();
    }

    /// <summary>Targets y = x·(1, −2, 3, 0.5) + 1; loss MSE; metrics <c>negMse</c> (primary, higher is better) and <c>mse</c>.</summary>
    private sealed class RegressionData(string primary = "negMse") : ITaskData<Regressor>
    {
        private readonly Tensor x = torch.randn(64, 4, generator: new torch.Generator(7, CPU));
        private Tensor Y => x.matmul(torch.tensor(new[] { 1f, -2f, 3f, 0.5f })) + 1;
        public string PrimaryMetric => primary;
        public int TrainCount => 64;
        public int EvalCount => 64;
        public string EvalFile => "";
        public int BatchesPerEpoch => 4;
        public IReadOnlyList<int[]> TrainOrder(int seed, int epoch) => Enumerable.Range(0, 64).Chunk(16).ToList();

        public StepLoss Loss(Regressor model, int[] batch, Device device)
        {
            var index = torch.tensor(batch.Select(i => (long)i).ToArray());
            return new StepLoss(nn.functional.mse_loss(model.forward(x[index]), Y[index]), batch.Length, batch.Length * 4);
        }

        public IReadOnlyDictionary<string, double> Evaluate(Regressor model, Device device)
        {
            using var noGrad = torch.no_grad();
            var mse = nn.functional.mse_loss(model.forward(x), Y).item<float>();
            return new Dictionary<string, double> { ["negMse"] = -mse, ["mse"] = mse };
        }
    }

    [Fact]
    public void A_regression_task_trains_and_its_primary_metric_picks_the_best_epoch()
    {
        torch.manual_seed(1);
        using var model = new Regressor();
        var options = new TrainerOptions { Epochs = 30, LearningRate = 0.1, WeightDecay = 0, WarmupRatio = 0, Seed = 1 };
        var outcome = Trainer.Train(model, model.Roles(), new RegressionData(), options, CPU);
        Assert.Equal(TrainStatus.Completed, outcome.Status);
        Assert.Equal("negMse", outcome.PrimaryMetric);
        Assert.Equal(120, outcome.Steps);
        Assert.Equal(30, outcome.EpochScores.Count);
        Assert.Equal(outcome.EpochScores.Max(), outcome.BestScore);
        Assert.Equal(-outcome.BestScore, outcome.BestMetrics["mse"], 12);
        Assert.True(outcome.BestMetrics["mse"] < 0.05, $"mse {outcome.BestMetrics["mse"]}");
        Assert.Equal(64 * 30 * 4, outcome.TokensPerSecond * outcome.TrainSeconds, 3);
    }

    [Fact]
    public void An_evaluation_without_the_primary_metric_is_an_error_naming_it()
    {
        torch.manual_seed(1);
        using var model = new Regressor();
        var e = Assert.Throws<InvalidOperationException>(() =>
            Trainer.Train(model, model.Roles(), new RegressionData("r2"), new TrainerOptions { Epochs = 1 }, CPU));
        Assert.Equal("the task's evaluation has no 'r2' (its selection metric); it has: negMse, mse", e.Message);
    }
}
