using PeftGrid.Contracts.Trials;
using PeftGrid.Peft.Catalog;
using Xunit;

namespace PeftGrid.Grains.Tests.Identity;

/// <summary>The data part of a cell id (<see cref="DataIdentity"/>): name + size + SHA-256 of each split file the task uses.</summary>
public sealed class DataIdentityTests : IDisposable
{
    private static readonly TaskEntry Sst2 = TaskCatalog.Sst2;

    /// <summary>The real SST-2 splits of ../shared/data (README: 65,349 / 2,000 rows); sizes from <c>ls -l</c>, hashes from <c>sha256sum</c>.</summary>
    public const string RealSst2 = "train.tsv:3689813:d5f96c38d2bf5d6f;dev.tsv:116283:ef90ece61df13b1e";

    private readonly List<string> temps = [];

    /// <summary>A temp copy of the real SST-2 splits, deleted after the test.</summary>
    private string Copy(string suffix = "")
    {
        var root = IdentityData.CopyOf(Sst2);
        temps.Add(root + suffix);
        if (suffix.Length > 0) Directory.Move(root, root + suffix);
        return root + suffix;
    }

    public void Dispose() => temps.ForEach(t => Directory.Delete(t, recursive: true));

    [Fact]
    public void The_real_sst2_files_have_a_stable_identity()
    {
        var files = DataIdentity.Files(IdentityData.RealRoot, Sst2);
        Assert.Equal([("train.tsv", 3_689_813L), ("dev.tsv", 116_283L)], files.Select(f => (f.Name, f.Size)));
        Assert.Equal("ef90ece61df13b1e7fadd60f8f2e570706348c2d694a475c373342539510599a", files[1].Sha256);
        Assert.Equal(RealSst2, DataIdentity.Of(IdentityData.RealRoot, Sst2));
    }

    [Fact]
    public void The_same_files_under_a_renamed_root_are_the_same_data()
    {
        var renamed = Copy("-renamed");   // identical files under another root name
        Assert.Equal(RealSst2, DataIdentity.Of(renamed, Sst2));
        Assert.Null(DataIdentity.Mismatch(RealSst2, renamed, Sst2));
    }

    [Fact]
    public void One_changed_byte_in_dev_is_other_data_and_the_mismatch_names_the_file_and_the_content()
    {
        var root = Copy();
        var dev = IdentityData.FlipEvalByte(root, Sst2);
        var changed = DataIdentity.Of(root, Sst2);
        Assert.NotEqual(RealSst2, changed);
        Assert.StartsWith("train.tsv:3689813:d5f96c38d2bf5d6f;dev.tsv:116283:", changed);   // same size, other hash
        var why = DataIdentity.Mismatch(RealSst2, root, Sst2);
        Assert.Equal($"data mismatch for task 'sst2' (not training on other data): '{dev}' has different content here " +
                     $"(same 116283 bytes, SHA-256 {changed[^16..]}…, the cell was submitted with ef90ece61df13b1e…)", why);
    }

    [Fact]
    public void A_size_difference_is_named_as_such()
    {
        var root = Copy();
        var dev = Path.Combine(root, Sst2.FolderPath, Sst2.EvalFile);
        File.AppendAllText(dev, "x");
        Assert.Equal($"data mismatch for task 'sst2' (not training on other data): '{dev}' is 116284 bytes here, the cell was submitted with 116283 bytes",
            DataIdentity.Mismatch(RealSst2, root, Sst2));
    }

    [Theory]
    [InlineData("", null)]
    [InlineData(null, null)]
    [InlineData("train.tsv:3689813:d5f96c38d2bf5d6f", "data mismatch for task 'sst2': the cell was submitted for files train.tsv but the task uses train.tsv, dev.tsv")]
    [InlineData("train.tsv:3689813:d5f9;dev.tsv:116283:ef90ece61df13b1e", "the cell's data identity 'train.tsv:3689813:d5f9;dev.tsv:116283:ef90ece61df13b1e' is malformed")]
    [InlineData("train.tsv:-1:d5f96c38d2bf5d6f;dev.tsv:116283:ef90ece61df13b1e", "is malformed")]
    public void No_identity_is_never_checked_and_a_foreign_or_malformed_one_is_a_reason(string? expected, string? reason)
    {
        var why = DataIdentity.Mismatch(expected, IdentityData.RealRoot, Sst2);
        if (reason is null) Assert.Null(why);
        else Assert.Contains(reason, why);
    }

    [Fact]
    public void A_missing_split_names_the_task_and_the_expected_path()
    {
        var root = Copy();
        File.Delete(Path.Combine(root, Sst2.FolderPath, "dev.tsv"));
        var e = Assert.Throws<FileNotFoundException>(() => DataIdentity.Of(root, Sst2));
        Assert.Equal($"task 'sst2' needs split file '{Path.Combine(root, "glue", "SST-2", "dev.tsv")}', which does not exist under the data root '{root}'", e.Message);
    }

    [Fact]
    public void Each_file_is_hashed_once_while_unchanged_and_again_after_a_change()
    {
        var cache = new FileHashCache();
        var root = Copy();
        for (var i = 0; i < 10_000; i++)
        {
            Assert.Equal(RealSst2, DataIdentity.Of(root, Sst2, cache));
        }
        Assert.Equal(2, cache.Computed);
        var dev = IdentityData.FlipEvalByte(root, Sst2);
        File.SetLastWriteTimeUtc(dev, File.GetLastWriteTimeUtc(dev).AddSeconds(1));   // a new write time, whatever the clock's resolution
        Assert.NotEqual(RealSst2, DataIdentity.Of(root, Sst2, cache));
        Assert.Equal(3, cache.Computed);
    }
}
