using PeftGrid.Contracts.Trials;
using PeftGrid.Peft.Catalog;
using PeftGrid.Tasks.Runner;

namespace PeftGrid.Tasks.Tests.Runner;

/// <summary>The worker checks its split files against the cell's data identity (<see cref="TrialSpec.Data"/>) before training.</summary>
public sealed class DataCheckTests : IDisposable
{
    private readonly List<string> temps = [];

    public void Dispose() => temps.ForEach(t => Directory.Delete(t, recursive: true));

    private static readonly TaskEntry Sst2 = TaskCatalog.Sst2;
    private const string RealSst2 = "train.tsv:3689813:d5f96c38d2bf5d6f;dev.tsv:116283:ef90ece61df13b1e";

    private static TrialSpec Spec(string data) => new()
    {
        Task = "sst2", Model = "minilm", Method = "bitfit", Seed = 3, Data = data,
        Profile = new TrainingProfile { MaxTrainExamples = 16, MaxEvalExamples = 16, MaxLength = 16 },
    };

    /// <summary>A temp data root holding copies of the real SST-2 splits, deleted after the test.</summary>
    private string CopyOfSst2()
    {
        var root = Path.Combine(Path.GetTempPath(), "peftgrid-datacheck-" + Guid.NewGuid().ToString("N")[..12]);
        temps.Add(root);
        Directory.CreateDirectory(Path.Combine(root, Sst2.FolderPath));
        foreach (var file in new[] { Sst2.TrainFile, Sst2.EvalFile })
        {
            var target = Path.Combine(root, Sst2.FolderPath, file);
            File.Copy(Path.Combine(TestData.Root, Sst2.FolderPath, file), target);
            File.SetAttributes(target, FileAttributes.Normal);
        }
        return root;
    }

    [Fact]
    public void The_client_and_the_worker_compute_the_same_identity_of_the_real_data()
    {
        Assert.Equal(RealSst2, DataIdentity.Of(TestData.Root, Sst2));
        Assert.Equal(RealSst2, TrialPlan.Create(Spec(RealSst2), TestData.Root).Spec.Data);
        Assert.Equal(RealSst2, TrialPlan.Create(Spec(RealSst2), CopyOfSst2()).Spec.Data);   // another root, the same files
    }

    [Fact]
    public async Task A_dev_file_differing_by_one_byte_fails_the_trial_naming_the_file_and_never_trains()
    {
        var root = CopyOfSst2();
        var dev = Path.Combine(root, Sst2.FolderPath, Sst2.EvalFile);
        var bytes = await File.ReadAllBytesAsync(dev);
        bytes[100] = bytes[100] == (byte)'a' ? (byte)'b' : (byte)'a';
        await File.WriteAllBytesAsync(dev, bytes);
        var spec = Spec(RealSst2);

        var e = Assert.Throws<InvalidDataException>(() => TrialPlan.Create(spec, root));
        Assert.StartsWith($"data mismatch for task 'sst2' (not training on other data): '{dev}' has different content here (same 116283 bytes, SHA-256 ", e.Message);
        Assert.EndsWith(", the cell was submitted with ef90ece61df13b1e…)", e.Message);
        Assert.DoesNotContain("train.tsv", e.Message);

        var runner = new TorchTrialRunner(root, threads: 1);
        Assert.Equal(e.Message, runner.Refusal(spec));
        var result = await runner.RunAsync(spec, "cpu", null, CancellationToken.None);
        Assert.Equal(TrialStatus.Failed, result.Status);
        Assert.Equal(e.Message, result.Error);
        Assert.Equal(spec.CellId, result.CellId);
        Assert.Empty(result.Metrics);   // nothing trained or evaluated
    }

    [Fact]
    public void A_dev_file_of_another_size_fails_naming_the_sizes()
    {
        var root = CopyOfSst2();
        var dev = Path.Combine(root, Sst2.FolderPath, Sst2.EvalFile);
        File.AppendAllText(dev, "one more line\t1\n");
        var e = Assert.Throws<InvalidDataException>(() => TrialPlan.Create(Spec(RealSst2), root));
        Assert.Equal($"data mismatch for task 'sst2' (not training on other data): '{dev}' is 116299 bytes here, the cell was submitted with 116283 bytes", e.Message);
    }

    [Fact]
    public void A_cell_without_a_data_identity_is_not_checked()
    {
        var root = CopyOfSst2();
        File.AppendAllText(Path.Combine(root, Sst2.FolderPath, Sst2.EvalFile), "one more line\t1\n");
        Assert.Equal("", TrialPlan.Create(Spec(""), root).Spec.Data);
    }
}
