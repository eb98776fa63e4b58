using System.Text.Json;
using Xunit;

namespace PeftGrid.Integration.Tests.Cli;

/// <summary><c>peftgrid train</c> / <c>peftgrid eval</c> as a user runs them: bad input is one line on stderr and exit code 1;
/// a tiny real run writes a result and an adapter that <c>eval</c> re-scores identically.</summary>
public class TrainEvalCommandTests
{
    private static string DataRoot => Environment.GetEnvironmentVariable("PEFTGRID_DATA")
        ?? Path.GetFullPath(Path.Combine(FindRepo(), "..", "shared", "data"));

    private static string FindRepo()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "PeftGrid.sln"))) return d.FullName;
        }
        throw new DirectoryNotFoundException("PeftGrid.sln not found above the test folder");
    }

    private static string TempSst2(string train, string? dev)
    {
        var root = Path.Combine(Path.GetTempPath(), "peftgrid-cli-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(Path.Combine(root, "glue", "SST-2"));
        File.WriteAllText(Path.Combine(root, "glue", "SST-2", "train.tsv"), train);
        if (dev is not null) File.WriteAllText(Path.Combine(root, "glue", "SST-2", "dev.tsv"), dev);
        return root;
    }

    private static async Task AssertOneLineError(string expected, params string[] args)
    {
        var r = await CliProcess.RunAsync(args);
        Assert.Equal(1, r.ExitCode);
        var line = Assert.Single(r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("peftgrid: error: ", line);
        Assert.Contains(expected, line);
    }

    [Fact]
    public Task Missing_data_root() => AssertOneLineError("does not exist", "train", "--task", "sst2", "--method", "lora-attn", "--data", "/no/such/peftgrid/data");

    [Fact]
    public Task Missing_split_file() =>
        AssertOneLineError("dev.tsv", "train", "--task", "sst2", "--method", "lora-attn", "--data", TempSst2("sentence\tlabel\ngood\t1\n", null));

    [Fact]
    public Task Row_with_wrong_field_count_names_file_and_line() =>
        AssertOneLineError("train.tsv:3: expected 2 tab-separated fields, found 3", "train", "--task", "sst2", "--method", "lora-attn",
            "--data", TempSst2("sentence\tlabel\ngood\t1\nbad\tfilm\t0\n", "sentence\tlabel\nok\t1\n"));

    [Fact]
    public Task Unknown_label() =>
        AssertOneLineError("train.tsv:2: unknown label 'positive'", "train", "--task", "sst2", "--method", "lora-attn",
            "--data", TempSst2("sentence\tlabel\ngood\tpositive\n", "sentence\tlabel\nok\t1\n"));

    [Fact]
    public Task Empty_split() =>
        AssertOneLineError("empty split", "train", "--task", "sst2", "--method", "lora-attn",
            "--data", TempSst2("sentence\tlabel\n", "sentence\tlabel\nok\t1\n"));

    [Fact]
    public Task Max_length_below_8() =>
        AssertOneLineError("at least 8", "train", "--task", "sst2", "--method", "lora-attn", "--max-length", "7", "--data", DataRoot);

    [Fact]
    public Task Budget_the_method_cannot_reach() =>
        AssertOneLineError("cannot reach", "train", "--task", "sst2", "--method", "bitfit", "--budget", "3.6%", "--data", DataRoot);

    [Fact]
    public Task Unknown_task_and_bad_method_spec()
        => Task.WhenAll(
            AssertOneLineError("unknown task 'cola'", "train", "--task", "cola", "--method", "lora-attn", "--data", DataRoot),
            AssertOneLineError("zz", "train", "--task", "sst2", "--method", "lora-attn[zz=1]", "--data", DataRoot));

    [Fact]
    public async Task Train_writes_result_and_adapter_and_eval_rescores_identically()
    {
        var folder = Path.Combine(Path.GetTempPath(), "peftgrid-cli-" + Guid.NewGuid().ToString("N")[..10]);
        var result = Path.Combine(folder, "result.json");
        var adapter = Path.Combine(folder, "adapter");
        var r = await CliProcess.RunAsync(TimeSpan.FromMinutes(5), "train", "--task", "sst2", "--method", "lora-attn", "--budget", "0.5%",
            "--max-train-examples", "64", "--max-eval-examples", "128", "--max-length", "32", "--threads", "2", "--seed", "7",
            "--data", DataRoot, "--out", result, "--save-adapter", adapter, "--json");
        Assert.True(r.ExitCode == 0, r.Stderr);
        using var json = JsonDocument.Parse(File.ReadAllText(result));
        var root = json.RootElement;
        Assert.Equal("succeeded", root.GetProperty("status").GetString());
        Assert.Equal("lora-attn[r=12,alpha=24]", root.GetProperty("method").GetString());
        var accuracy = root.GetProperty("metrics").GetProperty("accuracy").GetDouble();
        Assert.InRange(accuracy, 0.0, 1.0);
        var training = root.GetProperty("training");
        Assert.Equal((64, 128, 32, 2), (training.GetProperty("trainExamples").GetInt32(), training.GetProperty("evalExamples").GetInt32(),
            training.GetProperty("maxLength").GetInt32(), training.GetProperty("steps").GetInt32()));   // 2 batches of 32
        Assert.Equal("glue/SST-2/dev.tsv", training.GetProperty("evalFile").GetString());
        Assert.Equal(accuracy, training.GetProperty("epochAccuracies")[0].GetDouble());
        Assert.Equal(JsonValueKind.Null, training.GetProperty("prefixLearningRate").ValueKind);
        Assert.Equal(2, training.GetProperty("threads").GetInt32());
        Assert.True(File.Exists(Path.Combine(adapter, "adapter_model.safetensors")));
        Assert.True(File.Exists(Path.Combine(adapter, "adapter_config.json")));

        var e = await CliProcess.RunAsync(TimeSpan.FromMinutes(3), "eval", "--adapter", adapter, "--data", DataRoot, "--max-eval-examples", "128", "--json");
        Assert.True(e.ExitCode == 0, e.Stderr);
        using var score = JsonDocument.Parse(e.Stdout);
        Assert.Equal(accuracy, score.RootElement.GetProperty("metrics").GetProperty("accuracy").GetDouble(), 6);
    }
}
