using PeftGrid.Client;
using PeftGrid.Client.Grids;
using PeftGrid.Contracts.Trials;
using PeftGrid.Silo.Hosting;
using PeftGrid.Tasks.Runner;
using Xunit;
using Xunit.Abstractions;

namespace PeftGrid.Integration.Tests.EndToEnd;

/// <summary>One real sweep on SST-2 with MiniLM through the embedded cluster and the real trainer (issue 4).</summary>
public class Sst2SweepTests(ITestOutputHelper output)
{
    private const string Grid = """
    {
      "name": "e2e-sst2",
      "tasks": ["sst2"],
      "models": ["minilm"],
      "methods": ["lora-attn", "pa-ffn", { "method": "bitfit", "budgets": [null] }],
      "budgets": [0.5],
      "seeds": [42],
      "profile": { "epochs": 1, "maxTrainExamples": 1200, "maxEvalExamples": 400, "maxLength": 48, "batchSize": 32 },
      "failurePolicy": { "maxAttempts": 1, "leaseSeconds": 600 }
    }
    """;

    [Fact]
    [Trait("Category", "Slow")]
    public async Task RealSweepOnSst2TrainsEveryCellAboveChanceAndFillsTheLeaderboard()
    {
        var dataRoot = TestData.Root;
        await using var cluster = await EmbeddedCluster.StartAsync(new EmbeddedClusterOptions { Runner = new TorchTrialRunner(dataRoot) });
        await using var client = PeftGridClient.FromClusterClient(cluster.Client);
        var (submit, expansion) = await client.SubmitGridAsync(GridParser.Parse(Grid));
        Assert.Equal(3, expansion.Request.Cells.Count);
        Assert.Empty(submit.Refused);

        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(20));
        await foreach (var status in client.WatchAsync(expansion.Request.SweepId, TimeSpan.FromSeconds(2), timeout.Token))
        {
            output.WriteLine($"{status.Succeeded} succeeded, {status.Failed} failed, {status.Running} running, {status.Pending} pending");
        }
        var results = await client.GetResultsAsync(expansion.Request.SweepId);
        Assert.Equal(3, results.Count);
        foreach (var r in results)
        {
            output.WriteLine($"{r.Method}: accuracy {r.Metrics["accuracy"]:P2}, {r.Budget.Percent:0.###} %, {r.ExamplesPerSecond:0.0} ex/s, {r.TrainSeconds:0} s");
            Assert.Equal(TrialStatus.Succeeded, r.Status);
            Assert.True(r.Metrics["accuracy"] > 0.6, $"{r.Method}: accuracy {r.Metrics["accuracy"]:P2} is not above chance (50 %) by a margin");
            Assert.Equal((1200, 400, 48, 38L), (r.Training!.TrainExamples, r.Training.EvalExamples, r.Training.MaxLength, r.Training.Steps));   // ⌈1200 / 32⌉ steps
            Assert.Equal([r.Metrics["accuracy"]], r.Training.EpochAccuracies);
        }
        Assert.Equal("lora-attn[r=12,alpha=24]", results.Single(r => r.Method.StartsWith("lora-attn", StringComparison.Ordinal)).Method);

        var board = Assert.Single(await client.GetLeaderboardsAsync("sst2", "minilm"));
        Assert.Equal(3, board.Cells);
        Assert.Equal(3, board.Tiers.Sum(t => t.Rows.Count));
        Assert.Contains(board.Tiers, t => t.Tier == 0.5 && t.Rows.Count == 2);
    }
}
