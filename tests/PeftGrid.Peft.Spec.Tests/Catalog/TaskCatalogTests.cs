using PeftGrid.Peft.Catalog;
using Xunit;

namespace PeftGrid.Peft.Spec.Tests.Catalog;

public class TaskCatalogTests
{
    [Theory]
    [InlineData("sst2", TaskKind.Classification, "glue/SST-2", "train.tsv", "dev.tsv", "negative,positive", "accuracy", "accuracy", true)]
    [InlineData("mnli", TaskKind.Classification, "glue/MNLI", "train.tsv", "dev_matched.tsv", "entailment,neutral,contradiction", "accuracy", "accuracy", true)]
    [InlineData("mnli-mm", TaskKind.Classification, "glue/MNLI", "train.tsv", "dev_mismatched.tsv", "entailment,neutral,contradiction", "accuracy", "accuracy", true)]
    [InlineData("xsum", TaskKind.Seq2Seq, "xsum", "train.jsonl", "validation.jsonl", "", "rouge1,rouge2,rougeL,rougeLsum", "rouge2", true)]
    [InlineData("wmt16-en-ro", TaskKind.Seq2Seq, "wmt16-ro-en", "train.jsonl", "validation.jsonl", "", "bleu,bleuPaper", "bleu", true)]
    public void Each_task_has_its_data_labels_metrics_and_runner_flag(string name, TaskKind kind, string folder, string train, string eval,
        string labels, string metrics, string primary, bool runnable)
    {
        var t = TaskCatalog.Find(name);
        Assert.Equal((name, kind, folder, train, eval), (t.Name, t.Kind, t.Folder, t.TrainFile, t.EvalFile));
        Assert.Equal(labels, string.Join(",", t.Labels));
        Assert.Equal(metrics, string.Join(",", t.Metrics));
        Assert.Equal((primary, runnable), (t.PrimaryMetric, t.Runnable));
        Assert.Contains(t.PrimaryMetric, t.Metrics);
        Assert.Equal(kind == TaskKind.Classification ? TaskObjective.CrossEntropy : TaskObjective.TokenCrossEntropy, t.Objective);
        Assert.Equal(Path.Combine(folder.Split('/')), t.FolderPath);
    }

    [Theory]
    [InlineData("sst-2")]
    [InlineData("SST-2")]
    [InlineData(" Sst2 ")]
    public void Names_and_aliases_find_the_entry_case_insensitively(string name)
    {
        Assert.Same(TaskCatalog.Sst2, TaskCatalog.Find(name));
        Assert.Equal("sst2", TaskCatalog.Canonical(name));
    }

    [Fact]
    public void An_unknown_name_is_an_error_listing_the_allowed_values()
    {
        var e = Assert.Throws<ArgumentException>(() => TaskCatalog.Find("cola"));
        Assert.Equal("unknown task 'cola'; allowed: sst2 (sst-2), mnli, mnli-mm, xsum, wmt16-en-ro", e.Message);
        Assert.Equal("cola", TaskCatalog.Canonical(" COLA "));
    }

    [Fact]
    public void Names_are_unique_and_lower_case()
    {
        var names = TaskCatalog.All.SelectMany(t => t.Aliases.Prepend(t.Name)).ToList();
        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.All(names, n => Assert.Equal(n.ToLowerInvariant(), n));
    }
}
