using PeftGrid.Peft.Catalog;
using PeftGrid.Tasks.Data;

namespace PeftGrid.Tasks.Tests.Data;

public class GlueTsvReaderTests
{
    [Fact]
    public void Sst2_real_splits_have_documented_sizes_and_binary_labels()
    {
        var train = GlueTsvReader.ReadTrain(TestData.Root, GlueTask.Sst2);
        var dev = GlueTsvReader.ReadDev(TestData.Root, GlueTask.Sst2);
        Assert.Equal(65_349, train.Count);
        Assert.Equal(2_000, dev.Count);
        Assert.Equal(907, dev.Count(e => e.Label == 0));
        Assert.Equal(1_093, dev.Count(e => e.Label == 1));
        Assert.Equal("hide new secretions from the parental units", train[0].Text); // trailing space trimmed
        Assert.Equal(0, train[0].Label);
        Assert.Null(train[0].TextPair);
        Assert.Equal(2, train[0].Line);
    }

    [Fact]
    public void Mnli_reads_columns_by_name_in_both_layouts_with_hf_label_ids()
    {
        var train = GlueTsvReader.ReadTrain(TestData.Root, GlueTask.Mnli);
        var matched = GlueTsvReader.ReadDev(TestData.Root, GlueTask.Mnli);
        var mismatched = GlueTsvReader.ReadDev(TestData.Root, GlueTask.MnliMismatched); // 16-column layout
        Assert.Equal(14_110, train.Count);
        Assert.Equal(1_000, matched.Count);
        Assert.Equal(1_000, mismatched.Count);
        Assert.Equal(4_721, train.Count(e => e.Label == 0)); // entailment
        Assert.Equal(4_661, train.Count(e => e.Label == 1)); // neutral
        Assert.Equal(4_728, train.Count(e => e.Label == 2)); // contradiction
        Assert.Equal(2, train[0].Label);
        Assert.StartsWith("Begun as their Roman headquarters", train[0].Text);
        Assert.StartsWith("Protestants shunned", train[0].TextPair);
        Assert.DoesNotContain(mismatched, e => e.Text.StartsWith("( ", StringComparison.Ordinal)); // not the parse columns
        Assert.Equal(3, GlueTask.Mnli.NumLabels);
    }

    [Fact]
    public void Row_with_wrong_field_count_names_file_and_line()
    {
        var root = TestData.TempRoot(GlueTask.Sst2, "sentence\tlabel\ngood movie\t1\nbad\tmovie\t0\n");
        var e = Assert.Throws<InvalidDataException>(() => GlueTsvReader.ReadTrain(root, GlueTask.Sst2));
        Assert.Contains(Path.Combine("SST-2", "train.tsv") + ":3:", e.Message);
        Assert.Contains("expected 2", e.Message);
        Assert.Contains("found 3", e.Message);
    }

    [Fact]
    public void Unknown_label_names_file_line_and_label()
    {
        var root = TestData.TempRoot(GlueTask.Mnli,
            "index\tpromptID\tpairID\tgenre\tsentence1\tsentence2\tgold_label\n1\t1\t1a\tfiction\ta\tb\tentailment\n2\t2\t2a\tfiction\ta\tb\t-\n");
        var e = Assert.Throws<InvalidDataException>(() => GlueTsvReader.ReadTrain(root, GlueTask.Mnli));
        Assert.Contains("train.tsv:3:", e.Message);
        Assert.Contains("unknown label '-'", e.Message);
    }

    [Theory]
    [InlineData("sentence\tlabel\n")]
    [InlineData("")]
    public void Empty_split_is_an_error(string text)
    {
        var root = TestData.TempRoot(GlueTask.Sst2, text);
        var e = Assert.Throws<InvalidDataException>(() => GlueTsvReader.ReadTrain(root, GlueTask.Sst2));
        Assert.Contains("empty split", e.Message);
        Assert.Contains("train.tsv", e.Message);
    }

    [Fact]
    public void Missing_column_is_named()
    {
        var root = TestData.TempRoot(GlueTask.Sst2, "text\tlabel\nok\t1\n");
        var e = Assert.Throws<InvalidDataException>(() => GlueTsvReader.ReadTrain(root, GlueTask.Sst2));
        Assert.Contains("missing column 'sentence'", e.Message);
    }

    [Fact]
    public void Missing_root_folder_and_file_are_reported_with_paths()
    {
        var missing = Path.Combine(Path.GetTempPath(), "peftgrid-no-such-root-" + Guid.NewGuid().ToString("N"));
        var e1 = Assert.Throws<DirectoryNotFoundException>(() => GlueTsvReader.ReadTrain(missing, GlueTask.Sst2));
        Assert.Contains(missing, e1.Message);
        var root = TestData.TempRoot(GlueTask.Sst2, "sentence\tlabel\nok\t1\n");
        var e2 = Assert.Throws<FileNotFoundException>(() => GlueTsvReader.ReadDev(root, GlueTask.Sst2));
        Assert.Contains("dev.tsv", e2.Message);
        var e3 = Assert.Throws<DirectoryNotFoundException>(() => GlueTsvReader.ReadTrain(root, GlueTask.Mnli));
        Assert.Contains("MNLI", e3.Message);
        Assert.Throws<DirectoryNotFoundException>(() => DataRoot.Resolve(missing));
    }

    [Fact]
    public void Task_lookup_accepts_aliases_and_rejects_unknown()
    {
        Assert.Same(GlueTask.Sst2, GlueTask.Find("SST-2"));
        Assert.Same(GlueTask.Mnli, GlueTask.Find("mnli"));
        var e = Assert.Throws<ArgumentException>(() => GlueTask.Find("cola"));
        Assert.Contains("unknown task 'cola'", e.Message);
    }

    [Fact]
    public void Readers_cover_exactly_the_catalogs_runnable_tasks()
    {
        Assert.Equal(TaskCatalog.All.Where(t => t.Runnable && t.Kind == TaskKind.Classification).Select(t => t.Name), GlueTask.All.Select(t => t.Name));
        Assert.All(GlueTask.All, t => Assert.Equal(t.Entry.Labels.Count, t.Labels.Values.Distinct().Count()));
        Assert.Equal(Path.Combine("glue", "SST-2"), GlueTask.Sst2.Folder);
        Assert.Equal(("dev_mismatched.tsv", 3), (GlueTask.MnliMismatched.DevFile, GlueTask.MnliMismatched.NumLabels));
        var e = Assert.Throws<ArgumentException>(() => GlueTask.Find("xsum"));
        Assert.Equal("task 'xsum' (Seq2Seq) is not a GLUE classification task; GLUE tasks: sst2, mnli, mnli-mm", e.Message);
    }
}
