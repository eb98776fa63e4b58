using System.Text.Json;
using Xunit;

namespace PeftGrid.Integration.Tests.Cli;

/// <summary><c>peftgrid sweep …</c> as a user runs it: bad input is one line on stderr and exit code 1, never a hang.</summary>
public class SweepCommandTests
{
    private static string GridFile(string json)
    {
        var path = Path.Combine(Path.GetTempPath(), "peftgrid-grid-" + Guid.NewGuid().ToString("N")[..10] + ".json");
        File.WriteAllText(path, json);
        return path;
    }

    [Theory]
    [InlineData("""{ "tasks": ["sst2"], "models": ["minilm"], "methods": ["lora-attn", "mam[l=x]"] }""", "$.methods[1]: mam: l='x' is not an integer")]
    [InlineData("""{ "tasks": ["sst2"], "models": ["minilm"], "methods": ["scaled-pa[s=huge]"] }""", "$.methods[0]: scaled-pa: s='huge' must be a positive number or 'learned'")]
    [InlineData("""{ "tasks": ["sst2"], "models": ["minilm"], "methods": ["prefix|mh-pa"] }""", "$.methods[0]: mh-pa and prefix both modify the site 'attention.heads'")]
    [InlineData("""{ "tasks": ["sst3"], "models": ["minilm"], "methods": ["lora-attn"] }""", "$.tasks[0]: unknown task 'sst3'")]
    [InlineData("""{ "tasks": ["sst2"], "models": ["gpt9"], "methods": ["lora-attn"] }""", "$.models[0]: unknown model 'gpt9'")]
    [InlineData("""{ "tasks": ["sst2"], "models": ["minilm"], "methods": [] }""", "$.methods")]
    [InlineData("""{ "tasks": ["sst2"], "models": ["minilm"], "methods": ["lora-attn"], "seeds": ["one"] }""", "$.seeds[0]")]
    [InlineData("""{ "tasks": ["sst2"], "models": ["minilm"], "methods": ["lora-attn"], """, "$")]
    public async Task MalformedGridsFailWithTheJsonPathOfTheBadField(string json, string expected)
    {
        var r = await CliProcess.RunAsync("sweep", "submit", "--grid", GridFile(json), "--gateway-port", "1", "--connect-timeout", "1");
        Assert.Equal(1, r.ExitCode);
        Assert.StartsWith("peftgrid: error: ", r.Stderr);
        Assert.Contains(expected, r.Stderr);
        Assert.Single(r.Stderr.Trim().Split('\n'));
    }

    [Fact]
    public async Task AnUnknownGridNameIsAClearError()
    {
        var r = await CliProcess.RunAsync("sweep", "run", "--grid", "demo-sst3", "--runner", "fake");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("'demo-sst3' is neither a file nor a built-in grid (demo-sst2, paper-glue, demo-xsum, paper-xsum, paper-en-ro)", r.Stderr);
    }

    [Fact]
    public async Task UnreachableRedisIsABoundedClearError()
    {
        var started = DateTime.UtcNow;
        var r = await CliProcess.RunAsync(TimeSpan.FromSeconds(90), "sweep", "status", "--redis", "127.0.0.1:1", "--connect-timeout", "3");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("cannot reach the PeftGrid cluster", r.Stderr);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task AnEmbeddedSweepStopsWithTheReasonWhenItsWorkersCannotRunTheCellsLeft()
    {
        // roberta-base is a valid cell (not refused) but this build's trainer runs only minilm: it waits, and the
        // embedded cluster, which will never gain another worker, stops and says why instead of waiting forever.
        var grid = GridFile("""{ "name": "waits", "tasks": ["sst-2"], "models": ["roberta-base"], "methods": ["lora-attn"], "budgets": [0.5] }""");
        var outDir = Path.Combine(Path.GetTempPath(), "peftgrid-sweep-" + Guid.NewGuid().ToString("N")[..10]);
        var r = await CliProcess.RunAsync(TimeSpan.FromMinutes(2), "sweep", "run", "--grid", grid, "--data", TestData.Root, "--out", outDir);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("peftgrid: not run: 1 cells: no worker runs model roberta-base", r.Stderr);
        Assert.Contains("queued 1, running 0, succeeded 0, failed 0, cancelled 0, refused 0; waiting: 1 cells: no worker runs model roberta-base", r.Stdout);
    }

    [Fact]
    public async Task FakeRunnerSweepRunWritesResultsLeaderboardAndPlot()
    {
        var outDir = Path.Combine(Path.GetTempPath(), "peftgrid-sweep-" + Guid.NewGuid().ToString("N")[..10]);
        var r = await CliProcess.RunAsync(TimeSpan.FromMinutes(3), "sweep", "run", "--grid", "demo-sst2", "--runner", "fake", "--out", outDir);
        Assert.True(r.ExitCode == 0, r.Stderr);
        var results = Directory.GetFiles(outDir, "result.json", SearchOption.AllDirectories);
        using var board = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "leaderboard.json")));
        Assert.True(results.Length == 18, $"{results.Length} result files");
        // Each result.json has the training block the train command writes (demo-sst2's profile: 3,000 examples, max length 64).
        foreach (var file in results)
        {
            using var result = JsonDocument.Parse(File.ReadAllText(file));
            var training = result.RootElement.GetProperty("training");
            Assert.Equal(1000, training.GetProperty("trainExamples").GetInt32());   // the fake runner's cap
            Assert.Equal(64, training.GetProperty("maxLength").GetInt32());
            Assert.Equal(1, training.GetProperty("epochAccuracies").GetArrayLength());
            Assert.Equal(result.RootElement.GetProperty("metrics").GetProperty("accuracy").GetDouble(), training.GetProperty("epochAccuracies")[0].GetDouble());
        }
        var png = File.ReadAllBytes(Path.Combine(outDir, "leaderboard.png"));
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, png[..4]);
        Assert.True(png.Length > 10_000, $"PNG of {png.Length} bytes");
    }
}
