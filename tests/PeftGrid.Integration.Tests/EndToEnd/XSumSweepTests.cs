using PeftGrid.Client;
using PeftGrid.Client.Grids;
using PeftGrid.Contracts.Trials;
using PeftGrid.Silo.Hosting;
using PeftGrid.Tasks.Runner;
using Xunit;
using Xunit.Abstractions;

namespace PeftGrid.Integration.Tests.EndToEnd;

/// <summary>A real seq2seq sweep (issue 10): three XSum cells on minilm2minilm through the embedded cluster and the real trainer,
/// scored by generation with the paper's decoding, ending in a leaderboard ranked by ROUGE-2 that carries R-1/L/Lsum.</summary>
public class XSumSweepTests(ITestOutputHelper output)
{
    private const string Grid = """
    {
      "name": "e2e-xsum",
      "tasks": ["xsum"],
      "models": ["minilm2minilm"],
      "methods": ["lora-attn", "pa-ffn", { "method": "bitfit", "budgets": [null] }],
      "budgets": [2],
      "seeds": [42],
      "profile": { "epochs": 1, "maxTrainExamples": 64, "maxEvalExamples": 6, "maxLength": 96, "maxTargetLength": 32, "batchSize": 8 },
      "failurePolicy": { "maxAttempts": 1, "leaseSeconds": 600 }
    }
    """;

    [Fact]
    [Trait("Category", "Slow")]
    public async Task RealXSumSweepScoresEveryCellByGenerationAndRanksByRouge2()
    {
        await using var cluster = await EmbeddedCluster.StartAsync(new EmbeddedClusterOptions { Runner = new TorchTrialRunner(TestData.Root) });
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
            output.WriteLine($"{r.Method}: R-1/2/L {r.Metrics["rouge1"]:F2}/{r.Metrics["rouge2"]:F2}/{r.Metrics["rougeL"]:F2}, {r.TrainSeconds:0} s");
            Assert.Equal(TrialStatus.Succeeded, r.Status);
            foreach (var metric in new[] { "rouge1", "rouge2", "rougeL", "rougeLsum", "loss" })
            {
                Assert.True(double.IsFinite(r.Metrics[metric]), $"{r.Method}: {metric} missing or not finite");
            }
            // 64 documents in sentence batches of 8: 8 steps; 6 dev documents generated with the paper's XSum decoding.
            Assert.Equal((64, 6, 96, 32, 8L), (r.Training!.TrainExamples, r.Training.EvalExamples, r.Training.MaxLength, r.Training.MaxTargetLength, r.Training.Steps));
            Assert.Equal(("rouge2", 0.1), (r.Training.SelectionMetric, r.Training.LabelSmoothing));
            var generation = r.Generation!;
            Assert.Equal((6, 10, 60, 3, 60, 6), (generation.NumBeams, generation.MinLength, generation.MaxLength, generation.NoRepeatNgramSize,
                generation.ReferenceMaxTokens, generation.Examples));
            Assert.NotEmpty(generation.Samples);
        }

        var board = Assert.Single(await client.GetLeaderboardsAsync("xsum", "minilm2minilm"));
        Assert.Equal(("rouge2", 3), (board.Metric, board.Cells));
        var rows = board.Tiers.SelectMany(t => t.Rows).ToList();
        Assert.Equal(3, rows.Count);
        foreach (var row in rows)
        {
            var cell = results.Single(r => r.Method == row.ResolvedMethod || r.Method == row.Method);
            Assert.Equal(cell.Metrics["rouge2"], row.Mean, 9);
            Assert.Equal(cell.Metrics["rouge1"], row.OtherMeans["rouge1"], 9);
            Assert.Equal(cell.Metrics["rougeL"], row.OtherMeans["rougeL"], 9);
        }
        Assert.Contains(board.Tiers, t => t.Tier == 2 && t.Rows.Count == 2);
    }
}
