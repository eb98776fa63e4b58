using PeftGrid.Tasks.Batching;
using PeftGrid.Tasks.Classification;
using PeftGrid.Tasks.Tests.Pipeline;
using PeftGrid.Tasks.Tests.Training;
using PeftGrid.Tasks.Text;
using PeftGrid.Tasks.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace PeftGrid.Tasks.Tests.Classification;

public class ClassificationDataTests
{
    private static readonly List<EncodedExample> Train = ToyTask.Examples(10, 1);
    private static readonly List<EncodedExample> Eval = ToyTask.Examples(7, 2);

    [Fact]
    public void Counts_batches_and_the_primary_metric()
    {
        var data = new ClassificationData(new LengthBucketedBatcher(Train, 4, 0), new LengthBucketedBatcher(Eval, 3, 0), "glue/SST-2/dev.tsv");
        Assert.Equal((10, 7, 3, "glue/SST-2/dev.tsv"), (data.TrainCount, data.EvalCount, data.BatchesPerEpoch, data.EvalFile));
        Assert.Equal("accuracy", data.PrimaryMetric);
        Assert.Equal(new LengthBucketedBatcher(Train, 4, 0).TrainOrder(9, 1), data.TrainOrder(9, 1));
    }

    [Fact]
    public void The_loss_is_the_mean_cross_entropy_of_the_padded_batch_and_the_metric_is_accuracy()
    {
        torch.manual_seed(2);
        using var model = new ToyClassifier(100, 8, 2);
        model.eval();   // no dropout: the two forwards below must see the same network
        var train = new LengthBucketedBatcher(Train, 4, 0);
        var data = new ClassificationData(train, new LengthBucketedBatcher(Eval, 3, 0));
        int[] indices = [0, 3, 5];
        using var scope = torch.NewDisposeScope();
        var step = data.Loss(model, indices, CPU);
        var batch = train.Collate(indices);
        var (ids, types, mask, labels) = batch.ToTensors(CPU);
        var expected = nn.functional.cross_entropy(model.forward(ids, types, mask), labels).item<float>();
        Assert.Equal(expected, step.Loss.item<float>(), 6);
        Assert.Equal(0, step.Loss.dim());
        Assert.True(step.Loss.requires_grad);
        Assert.Equal(3, step.Examples);
        Assert.Equal(indices.Sum(i => (long)Train[i].Length), step.Tokens);

        var metrics = data.Evaluate(model, CPU);
        Assert.Equal(["accuracy"], metrics.Keys);
        Assert.Equal(Evaluator.Evaluate(model, new LengthBucketedBatcher(Eval, 3, 0), CPU, Eval.Count).Accuracy, metrics["accuracy"], 15);
        Assert.False(model.training);
    }
}
