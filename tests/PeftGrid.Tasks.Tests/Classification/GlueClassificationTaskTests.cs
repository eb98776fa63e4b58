using PeftGrid.Contracts.Trials;
using PeftGrid.Peft.Catalog;
using PeftGrid.Tasks.Classification;
using PeftGrid.Tasks.Data;
using PeftGrid.Tasks.Pipeline;
using PeftGrid.Tasks.Runner;

namespace PeftGrid.Tasks.Tests.Classification;

public class GlueClassificationTaskTests
{
    private const string TrainTsv = "sentence\tlabel\na fine film\t1\na dull film\t0\nbright and warm\t1\ncold\t0\nlovely work\t1\nweak plot\t0\ngreat\t1\n";
    private const string DevTsv = "sentence\tlabel\ngood\t1\nbad\t0\nok\t1\n";

    [Fact]
    public void Reads_subsamples_and_batches_the_plans_splits()
    {
        var root = TestData.TempRoot(GlueTask.Sst2, TrainTsv, DevTsv);
        var spec = new TrialSpec
        {
            Task = "sst2", Model = "minilm", Method = "bitfit", Seed = 3,
            Profile = new TrainingProfile { MaxTrainExamples = 5, MaxEvalExamples = 2, BatchSize = 2, MaxLength = 16 },
        };
        var task = new GlueClassificationTask();
        Assert.Equal(TaskKind.Classification, task.Kind);
        var data = task.Load(TrialPlan.Create(spec, root));
        Assert.Equal((5, 2, 3), (data.TrainCount, data.EvalCount, data.BatchesPerEpoch));   // ⌈5 / 2⌉ batches
        Assert.Equal(Path.Combine("glue", "SST-2", "dev.tsv"), data.EvalFile);
        Assert.Equal("accuracy", data.PrimaryMetric);

        var all = task.Load(TrialPlan.Create(spec with { Profile = spec.Profile with { MaxTrainExamples = null, MaxEvalExamples = null } }, root));
        Assert.Equal((7, 3), (all.TrainCount, all.EvalCount));
    }

    [Fact]
    public void Accuracy_is_the_catalogs_metric_and_primary_metric_of_every_runnable_classification_task()
    {
        var tasks = TaskCatalog.All.Where(t => t.Runnable && t.Kind == TaskKind.Classification).ToList();
        Assert.Equal(["sst2", "mnli", "mnli-mm"], tasks.Select(t => t.Name));
        Assert.All(tasks, t =>
        {
            Assert.Equal(ClassificationData.Accuracy, t.PrimaryMetric);
            Assert.Equal([ClassificationData.Accuracy], t.Metrics);
        });
    }

    [Fact]
    public void A_malformed_split_names_file_and_line()
    {
        var root = TestData.TempRoot(GlueTask.Sst2, "sentence\tlabel\ngood\t1\nbad\tfilm\t0\n", DevTsv);
        var plan = TrialPlan.Create(new TrialSpec { Task = "sst2", Model = "minilm", Method = "bitfit" }, root);
        var e = Assert.Throws<InvalidDataException>(() => new GlueClassificationTask().Load(plan));
        Assert.EndsWith("train.tsv:3: expected 2 tab-separated fields, found 3", e.Message);
    }
}
