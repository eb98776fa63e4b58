using PeftGrid.Client.Grids;
using PeftGrid.Contracts.Trials;
using PeftGrid.Peft.Catalog;
using Xunit;

namespace PeftGrid.Client.Tests.Grids;

/// <summary>Grid expansion with a data root: every cell carries its task's data identity, and spelling is never a new cell.
/// One class, so its tests run one after another (they count the shared hash cache's work).</summary>
public sealed class GridDataIdentityTests : IDisposable
{
    private const string RealSst2 = "train.tsv:3689813:d5f96c38d2bf5d6f;dev.tsv:116283:ef90ece61df13b1e";
    private static readonly TaskEntry Sst2 = TaskCatalog.Sst2;

    private readonly List<string> temps = [];

    /// <summary>A temp copy of the real SST-2 splits, deleted after the test.</summary>
    private string Copy(string suffix = "")
    {
        var root = TestData.CopyOf(Sst2);
        temps.Add(root + suffix);
        if (suffix.Length > 0) Directory.Move(root, root + suffix);
        return root + suffix;
    }

    public void Dispose() => temps.ForEach(t => Directory.Delete(t, recursive: true));

    private static GridExpansion Expand(string methods, string budgets, string? root, string seeds = "42") =>
        GridParser.Expand(GridParser.Parse($$"""{ "tasks": ["sst2"], "models": ["minilm"], "methods": [{{methods}}], "budgets": [{{budgets}}], "seeds": [{{seeds}}] }"""), root);

    [Fact]
    public void Five_spellings_of_mam_with_a_data_root_are_one_cell_with_one_id()
    {
        var x = Expand("\"mam\", \"MAM\", \"mam[r=16,l=16,s=2]\", \"mam[s=2.0,l=16,r=16,mid=800]\", \" mam [ l = 16 , r = 16 ]\"", "null", TestData.RealRoot);
        var cell = Assert.Single(x.Request.Cells);
        Assert.Equal(("mam[l=16,r=16,s=2,mid=800]", RealSst2), (cell.Method, cell.Data));
        Assert.Equal("task=sst2|model=minilm|method=mam[l=16,r=16,s=2,mid=800]|budget=|seed=42|e=1;n=;v=;t=128;b=32;lr=|data=" + RealSst2, cell.Canonical());
        Assert.Contains("appears 5 times", Assert.Single(x.Duplicates));
    }

    [Fact]
    public void At_a_tier_free_sizes_in_any_spelling_are_one_cell()
    {
        var x = Expand("\"lora-attn\", \"lora-attn[r=*]\", \"LoRA-Attn[alpha=32]\", \" lora-attn [ alpha = 32.0 , r = * ]\"", "0.5", TestData.RealRoot);
        var cell = Assert.Single(x.Request.Cells);
        Assert.Equal(("lora-attn[r=*,alpha=32]", 0.5), (cell.Method, cell.BudgetPercent));
        Assert.Contains("appears 4 times", Assert.Single(x.Duplicates));
    }

    [Fact]
    public void Same_files_give_the_same_ids_a_renamed_root_too_and_a_changed_dev_byte_gives_new_ids()
    {
        const string Methods = "\"lora-attn\", \"prefix\", \"bitfit\"";
        var real = Expand(Methods, "0.5", TestData.RealRoot, "1, 2");
        var renamed = Copy("-renamed");   // identical files under another root name
        var again = Expand(Methods, "0.5", renamed, "1, 2");
        Assert.Equal(6, real.Request.Cells.Count);
        Assert.All(real.Request.Cells, c => Assert.Equal(RealSst2, c.Data));
        Assert.Equal(real.Request.Cells.Select(c => c.CellId), again.Request.Cells.Select(c => c.CellId));
        Assert.Equal(real.Request.SweepId, again.Request.SweepId);

        TestData.FlipEvalByte(renamed, Sst2);
        var changed = Expand(Methods, "0.5", renamed, "1, 2");
        Assert.Empty(changed.Request.Cells.Select(c => c.CellId).Intersect(real.Request.Cells.Select(c => c.CellId)));
        Assert.NotEqual(real.Request.SweepId, changed.Request.SweepId);
        Assert.All(changed.Request.Cells, c => Assert.StartsWith("train.tsv:3689813:d5f96c38d2bf5d6f;dev.tsv:116283:", c.Data));

        var none = Expand(Methods, "0.5", null, "1, 2");   // no data root: no data identity, the ids from before issue 8
        Assert.All(none.Request.Cells, c => Assert.Equal("", c.Data));
        Assert.Empty(none.Request.Cells.Select(c => c.CellId).Intersect(real.Request.Cells.Select(c => c.CellId)));
    }

    [Fact]
    public void A_ten_thousand_cell_grid_hashes_each_data_file_once()
    {
        var root = Copy();   // paths the process-wide cache has never seen
        var before = FileHashCache.Shared.Computed;
        var x = Expand("\"lora-attn\", \"prefix\", \"mam\", \"bitfit\", \"houlsby\"", "null", root, string.Join(", ", Enumerable.Range(0, 2000)));
        Assert.Equal(10_000, x.Request.Cells.Count);
        Assert.All(x.Request.Cells, c => Assert.Equal(RealSst2, c.Data));
        Assert.Equal(2, FileHashCache.Shared.Computed - before);
    }

    [Fact]
    public void A_task_whose_files_are_missing_is_a_one_line_error_naming_the_task_the_path_and_data()
    {
        var root = Copy();
        File.Delete(Path.Combine(root, Sst2.FolderPath, Sst2.EvalFile));
        var e = Assert.Throws<FileNotFoundException>(() => Expand("\"lora-attn\"", "null", root));
        Assert.Equal($"task 'sst2' needs split file '{Path.Combine(root, "glue", "SST-2", "dev.tsv")}', which does not exist under the data root '{root}'; " +
                     "pass --data DIR with the data root that holds it (default $PEFTGRID_DATA or ../shared/data)", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }
}
