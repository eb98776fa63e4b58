using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text.Json;
using PeftGrid.Contracts.Grid;
using PeftGrid.Contracts.Trials;
using PeftGrid.Grains.Runners;
using PeftGrid.Grains.Telemetry;
using PeftGrid.Silo.Hosting;
using Spectre.Console;

namespace PeftGrid.Benchmarks;

/// <summary>
/// <c>grid</c> mode: N no-op cells on W simulated workers (the silo's real worker loops, the fake runner with 0 ms
/// cells) on the embedded cluster or on Redis (<c>--redis HOST:PORT</c>): throughput, per-cell scheduling
/// overhead, sweep-status latency, leaderboard ingest rate and query latency. Prints a table, writes JSON.
/// </summary>
public static class GridBenchmark
{
    private const string OverheadDefinition =
        "per cell, measured by the worker that ran it: lease = round trip of the ExchangeAsync call that granted the cell " +
        "(request sent -> lease received); accept = round trip of the ExchangeAsync call that reported its result " +
        "(sent -> Accepted outcome received; includes the durable write in its experiment grain and the leaderboard ingest); " +
        "total = lease + accept. Training time (0 here) and time queued behind the worker's own batch are excluded.";

    public static async Task<int> RunAsync(string[] args)
    {
        string? Arg(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        var cells = int.Parse(Arg("--cells") ?? "10000", CultureInfo.InvariantCulture);
        var workers = int.Parse(Arg("--workers") ?? "64", CultureInfo.InvariantCulture);
        var batch = int.Parse(Arg("--batch") ?? "16", CultureInfo.InvariantCulture);
        var warmup = int.Parse(Arg("--warmup") ?? "500", CultureInfo.InvariantCulture);
        var label = Arg("--label") ?? "";
        var redis = Arg("--redis");
        var outFile = Path.GetFullPath(Arg("--out") ?? "bench-grid.json");
        var run = Guid.NewGuid().ToString("N")[..8];
        var mode = redis is null ? "embedded (in-memory storage)" : $"redis ({redis})";

        // Keep the console for the table: the silo's per-call resilience logging (Polly, Information) is very chatty.
        Environment.SetEnvironmentVariable("Logging__LogLevel__Default", Environment.GetEnvironmentVariable("Logging__LogLevel__Default") ?? "Warning");
        Environment.SetEnvironmentVariable("Logging__LogLevel__Polly", Environment.GetEnvironmentVariable("Logging__LogLevel__Polly") ?? "Warning");

        var overhead = new ConcurrentDictionary<string, ConcurrentQueue<double>>();
        var measuring = false;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == PeftGridTelemetry.Name && instrument.Name == "peftgrid.cell.scheduling_overhead")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((_, value, tags, _) =>
        {
            if (!Volatile.Read(ref measuring))
            {
                return;
            }
            foreach (var t in tags)
            {
                if (t.Key == "phase" && t.Value is string phase)
                {
                    overhead.GetOrAdd(phase, _ => new ConcurrentQueue<double>()).Enqueue(value * 1000);
                }
            }
        });
        listener.Start();

        var startClock = Stopwatch.StartNew();
        await using var cluster = await EmbeddedCluster.StartAsync(new EmbeddedClusterOptions
        {
            Runner = new FakeTrialRunner(new FakeRunnerOptions { CellMilliseconds = 0 }),
            Devices = Enumerable.Range(0, workers).Select(i => $"sim:{i}").ToList(),
            LeaseBatch = batch, PollMilliseconds = 5, Redis = redis,
        });
        var startSeconds = startClock.Elapsed.TotalSeconds;
        var scheduler = cluster.Client.GetGrain<ISchedulerGrain>(GrainKeys.Scheduler);

        List<TrialSpec> Specs(string tag, int n) => Enumerable.Range(0, n)
            .Select(i => new TrialSpec { Task = "sst2", Model = $"{tag}-{i % 8}", Method = "lora-attn", BudgetPercent = 0.5, Seed = i }).ToList();

        if (warmup > 0)
        {
            // Activates the grains and JIT-compiles the paths; not measured.
            await scheduler.SubmitAsync(new SweepRequest { SweepId = $"warmup-{run}", Cells = Specs($"warmup-{run}", warmup), Policy = new FailurePolicy { LeaseSeconds = 60 } });
            while (!(await scheduler.GetStatusAsync($"warmup-{run}")).IsComplete)
            {
                await Task.Delay(20);
            }
        }

        var sweepId = $"bench-{run}";
        var specs = Specs(sweepId, cells);
        Volatile.Write(ref measuring, true);
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        await scheduler.SubmitAsync(new SweepRequest { SweepId = sweepId, Cells = specs, Policy = new FailurePolicy { LeaseSeconds = 60 } });
        var submitSeconds = clock.Elapsed.TotalSeconds;
        SweepStatus status;
        var statusMs = new List<double>();
        do
        {
            await Task.Delay(20);
            var t = Stopwatch.StartNew();
            status = await scheduler.GetStatusAsync(sweepId);
            statusMs.Add(t.Elapsed.TotalMilliseconds);
        }
        while (!status.IsComplete);
        var wall = clock.Elapsed.TotalSeconds;
        var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
        Volatile.Write(ref measuring, false);
        var cellsPerSecond = cells / wall;
        var lease = overhead.GetValueOrDefault("lease")?.ToList() ?? [];
        var accept = overhead.GetValueOrDefault("accept")?.ToList() ?? [];
        var total = overhead.GetValueOrDefault("total")?.ToList() ?? [];
        var boardRows = 0;
        for (var m = 0; m < 8; m++)
        {
            boardRows += (await cluster.Client.GetGrain<ILeaderboardGrain>(GrainKeys.Leaderboard("sst2", $"{sweepId}-{m}")).GetAsync()).Cells;
        }

        // Leaderboard: ingest N entries in batches of 100 into one board (20 methods x 2 tiers), querying after each batch
        // (the view is invalidated by every ingest, so each of these queries rebuilds it), then query the settled board.
        var board = cluster.Client.GetGrain<ILeaderboardGrain>(GrainKeys.Leaderboard("sst2", $"ingest-{run}"));
        var entries = Enumerable.Range(0, cells).Select(i => new LeaderboardEntry
        {
            CellId = $"{run}-{i}", Task = "sst2", Model = "x", Method = $"m{i % 20}", Tier = i % 2 == 0 ? 0.1 : 0.5, Seed = i,
            Score = 0.5 + i % 100 / 200.0, Percent = 0.1 + i % 7,
        }).ToList();
        double ingestSeconds = 0;
        var afterIngestMs = new List<double>();
        foreach (var chunk in entries.Chunk(100))
        {
            var w = Stopwatch.StartNew();
            await board.IngestAsync(chunk);
            ingestSeconds += w.Elapsed.TotalSeconds;
            var q = Stopwatch.StartNew();
            await board.GetAsync();
            afterIngestMs.Add(q.Elapsed.TotalMilliseconds);
        }
        var settledMs = new List<double>();
        for (var i = 0; i < 1000; i++)
        {
            var q = Stopwatch.StartNew();
            await board.GetAsync();
            settledMs.Add(q.Elapsed.TotalMilliseconds);
        }
        var view = await board.GetAsync();

        var result = new
        {
            label, mode, machine = $"{Environment.ProcessorCount} cores, {Environment.MachineName}", utc = DateTime.UtcNow,
            cells, workers, leaseBatch = batch, warmupCells = warmup, succeeded = status.Succeeded, failed = status.Failed,
            leaderboardCellsRanked = boardRows,
            clusterStartSeconds = startSeconds, submitSeconds, wallSeconds = wall, cellsPerSecond,
            amortizedMsPerCell = 1000 * wall / cells,
            processCpuSeconds = cpuSeconds, cpuMsPerCell = 1000 * cpuSeconds / cells,
            loadAverage = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "",
            overheadDefinition = OverheadDefinition,
            overheadSamples = total.Count,
            leaseMsP50 = Percentile(lease, 0.5), leaseMsP99 = Percentile(lease, 0.99),
            acceptMsP50 = Percentile(accept, 0.5), acceptMsP99 = Percentile(accept, 0.99),
            overheadMsP50 = Percentile(total, 0.5), overheadMsP99 = Percentile(total, 0.99),
            statusQueryMsP50 = Percentile(statusMs, 0.5), statusQueryMsP99 = Percentile(statusMs, 0.99),
            leaderboardEntries = entries.Count, leaderboardRows = view.Tiers.Sum(t => t.Rows.Count),
            leaderboardIngestResultsPerSecond = entries.Count / ingestSeconds,
            leaderboardQueryAfterIngestMsP50 = Percentile(afterIngestMs, 0.5), leaderboardQueryAfterIngestMsP99 = Percentile(afterIngestMs, 0.99),
            leaderboardQueryMsP50 = Percentile(settledMs, 0.5), leaderboardQueryMsP99 = Percentile(settledMs, 0.99),
            rayTuneReferenceMsPerTrial = 9.0,
        };

        var table = new Table().Border(TableBorder.Rounded).Title($"grid benchmark — {mode}{(label.Length > 0 ? $" — {label}" : "")}");
        table.AddColumn("metric").AddColumn(new TableColumn("value").RightAligned());
        void Row(string name, string value) => table.AddRow(Markup.Escape(name), Markup.Escape(value));
        static string F(double v, string fmt = "0.00") => v.ToString(fmt, CultureInfo.InvariantCulture);
        Row("cells × workers (lease batch)", $"{cells} × {workers} ({batch})");
        Row("succeeded / ranked on leaderboards", $"{status.Succeeded} / {boardRows}");
        Row("submit (s)", F(submitSeconds, "0.000"));
        Row("wall, submit → all done (s)", F(wall));
        Row("cells/s", F(cellsPerSecond, "0"));
        Row("amortized ms per cell (wall / cells)", F(result.amortizedMsPerCell, "0.000"));
        Row("process CPU ms per cell (whole cluster, this process)", F(result.cpuMsPerCell, "0.000"));
        Row("machine load average (1/5/15 min) at end", result.loadAverage);
        Row("per-cell overhead p50 / p99 (ms) [lease+accept]", $"{F(result.overheadMsP50)} / {F(result.overheadMsP99)}");
        Row("  lease round trip p50 / p99 (ms)", $"{F(result.leaseMsP50)} / {F(result.leaseMsP99)}");
        Row("  accept round trip p50 / p99 (ms)", $"{F(result.acceptMsP50)} / {F(result.acceptMsP99)}");
        Row("sweep status query p50 / p99 (ms)", $"{F(result.statusQueryMsP50)} / {F(result.statusQueryMsP99)}");
        Row("leaderboard ingest (results/s)", F(result.leaderboardIngestResultsPerSecond, "0"));
        Row("leaderboard query after ingest p50 / p99 (ms)", $"{F(result.leaderboardQueryAfterIngestMsP50)} / {F(result.leaderboardQueryAfterIngestMsP99)}");
        Row("leaderboard query settled p50 / p99 (ms)", $"{F(result.leaderboardQueryMsP50, "0.000")} / {F(result.leaderboardQueryMsP99, "0.000")}");
        Row("Ray Tune reference (ms per trial)", "~9");
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine($"[grey]overhead: {Markup.Escape(OverheadDefinition)}[/]");

        var json = JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true });
        await File.WriteAllTextAsync(outFile, json);
        Console.WriteLine($"wrote {outFile}");
        return status.Succeeded == cells && boardRows == cells ? 0 : 1;
    }

    /// <summary>The p-quantile (nearest rank) of <paramref name="xs"/>; 0 when empty. Shared by the benchmarks.</summary>
    internal static double Percentile(List<double> xs, double p)
    {
        var s = xs.Order().ToList();
        return s.Count == 0 ? 0 : s[Math.Clamp((int)Math.Ceiling(p * s.Count) - 1, 0, s.Count - 1)];
    }
}
