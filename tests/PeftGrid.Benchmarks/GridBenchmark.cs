using System.Diagnostics;
using System.Text.Json;
using PeftGrid.Contracts.Grid;
using PeftGrid.Contracts.Trials;
using PeftGrid.Grains.Runners;
using PeftGrid.Silo.Hosting;

namespace PeftGrid.Benchmarks;

/// <summary>N no-op cells on W simulated workers: throughput, per-cell overhead, leaderboard ingest and query latency.</summary>
public static class GridBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        string? Arg(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        var cells = int.Parse(Arg("--cells") ?? "10000");
        var workers = int.Parse(Arg("--workers") ?? "64");
        var batch = int.Parse(Arg("--batch") ?? "16");
        var redis = Arg("--redis");
        var outFile = Arg("--out") ?? "bench-grid.json";
        var run = Guid.NewGuid().ToString("N")[..8];

        await using var cluster = await EmbeddedCluster.StartAsync(new EmbeddedClusterOptions
        {
            Runner = new FakeTrialRunner(new FakeRunnerOptions { CellMilliseconds = 0 }),
            Devices = Enumerable.Range(0, workers).Select(i => $"sim:{i}").ToList(),
            LeaseBatch = batch, PollMilliseconds = 5, Redis = redis,
        });
        var scheduler = cluster.Client.GetGrain<ISchedulerGrain>(GrainKeys.Scheduler);
        var specs = Enumerable.Range(0, cells)
            .Select(i => new TrialSpec { Task = "sst2", Model = $"bench-{run}-{i % 8}", Method = "lora-attn", BudgetPercent = 0.5, Seed = i }).ToList();

        var clock = Stopwatch.StartNew();
        await scheduler.SubmitAsync(new SweepRequest { SweepId = $"bench-{run}", Cells = specs, Policy = new FailurePolicy { LeaseSeconds = 60 } });
        var submitSeconds = clock.Elapsed.TotalSeconds;
        SweepStatus status;
        var latencies = new List<double>();
        do
        {
            await Task.Delay(20);
            var t = Stopwatch.StartNew();
            status = await scheduler.GetStatusAsync($"bench-{run}");
            latencies.Add(t.Elapsed.TotalMilliseconds);
        }
        while (!status.IsComplete);
        var wall = clock.Elapsed.TotalSeconds;
        var cellsPerSecond = cells / wall;

        // Leaderboard ingest and query.
        var board = cluster.Client.GetGrain<ILeaderboardGrain>(GrainKeys.Leaderboard("sst2", $"ingest-{run}"));
        var entries = Enumerable.Range(0, cells).Select(i => new LeaderboardEntry
        {
            CellId = $"{run}-{i}", Task = "sst2", Model = "x", Method = $"m{i % 20}", Tier = i % 2 == 0 ? 0.1 : 0.5, Seed = i, Score = 0.5 + i % 100 / 200.0, Percent = 0.1 + i % 7,
        }).ToList();
        var ingest = Stopwatch.StartNew();
        var queries = new List<double>();
        foreach (var chunk in entries.Chunk(100))
        {
            await board.IngestAsync(chunk);
            var q = Stopwatch.StartNew();
            await board.GetAsync();
            queries.Add(q.Elapsed.TotalMilliseconds);
        }
        var ingestSeconds = ingest.Elapsed.TotalSeconds - queries.Sum() / 1000;

        var result = new
        {
            mode = redis is null ? "embedded (in-memory storage)" : "redis",
            cells, workers, leaseBatch = batch, succeeded = status.Succeeded,
            submitSeconds, wallSeconds = wall, cellsPerSecond,
            overheadMsPerCellAmortized = 1000 * wall / cells,
            overheadMsPerCellWorkerTime = 1000 * wall * workers / cells,
            statusQueryP50Ms = Percentile(latencies, 0.5), statusQueryP99Ms = Percentile(latencies, 0.99),
            leaderboardIngestResultsPerSecond = cells / ingestSeconds,
            leaderboardQueryP50Ms = Percentile(queries, 0.5), leaderboardQueryP99Ms = Percentile(queries, 0.99),
            rayTuneReferenceMsPerTrial = 9.0,
        };
        var json = JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true });
        Console.WriteLine(json);
        await File.WriteAllTextAsync(outFile, json);
        return status.Succeeded == cells ? 0 : 1;
    }

    private static double Percentile(List<double> xs, double p)
    {
        var s = xs.Order().ToList();
        return s.Count == 0 ? 0 : s[Math.Min(s.Count - 1, (int)Math.Ceiling(p * s.Count) - 1)];
    }
}
