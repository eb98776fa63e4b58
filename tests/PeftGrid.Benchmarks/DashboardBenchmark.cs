using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using PeftGrid.Contracts.Grid;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using PeftGrid.Contracts.Trials;
using PeftGrid.Dashboard.Api;
using PeftGrid.Grains.Runners;
using PeftGrid.Silo.Hosting;
using Spectre.Console;

namespace PeftGrid.Benchmarks;

/// <summary>
/// <c>dashboard</c> mode: an embedded silo (fake runner, 0 ms cells) serving the dashboard, a finished sweep of N cells (default
/// 10,000: 10 methods × 5 tiers × 4 models × seeds, seeds 7 and 13 fail), then over HTTP from this process: latency p50/p99/max of
/// <c>GET /api/sweeps/{id}/cells</c> with varying pages, sorts and filters, of <c>/api/sweeps</c>, <c>/api/sweeps/{id}</c> and
/// <c>/api/cells/{id}</c>; and the page's render times (<see cref="MeasurePageAsync"/>). Prints a table, writes JSON.
/// </summary>
public static class DashboardBenchmark
{
    private static readonly string[] Methods = ["lora-attn", "lora-ffn", "prefix", "houlsby", "pfeiffer", "mam", "bitfit", "pa-attn", "pa-ffn", "prompt"];
    private static readonly double?[] Tiers = [0.1, 0.5, 1.0, 2.0, null];
    private static readonly string[] Sorts = ["order", "task", "model", "method", "tier", "seed", "status", "attempts", "worker", "duration", "score"];

    public static async Task<int> RunAsync(string[] args)
    {
        string? Arg(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        var cells = int.Parse(Arg("--cells") ?? "10000", CultureInfo.InvariantCulture);
        var requests = int.Parse(Arg("--requests") ?? "200", CultureInfo.InvariantCulture);
        var outFile = Path.GetFullPath(Arg("--out") ?? "bench-dashboard.json");
        Environment.SetEnvironmentVariable("Logging__LogLevel__Default", Environment.GetEnvironmentVariable("Logging__LogLevel__Default") ?? "Warning");
        Environment.SetEnvironmentVariable("Logging__LogLevel__Polly", Environment.GetEnvironmentVariable("Logging__LogLevel__Polly") ?? "Warning");

        await using var cluster = await EmbeddedCluster.StartAsync(new EmbeddedClusterOptions
        {
            Runner = new FakeTrialRunner(new FakeRunnerOptions { CellMilliseconds = 0, FailSeeds = [7, 13] }),
            Devices = Enumerable.Range(0, 16).Select(i => $"sim:{i}").ToList(),
            LeaseBatch = 16, PollMilliseconds = 5, Dashboard = true, DashboardPort = 0,
        });
        var url = cluster.DashboardUrl!;
        var scheduler = cluster.Client.GetGrain<ISchedulerGrain>(GrainKeys.Scheduler);
        var seeds = (cells + Methods.Length * Tiers.Length * 4 - 1) / (Methods.Length * Tiers.Length * 4);
        var specs = (from m in Methods from t in Tiers from model in Enumerable.Range(0, 4) from s in Enumerable.Range(0, seeds)
                     select new TrialSpec { Task = "sst2", Model = $"bench-model-{model}", Method = m, BudgetPercent = t, Seed = s }).Take(cells).ToList();
        var sweepId = $"dash-{Guid.NewGuid():N}"[..13];
        var clock = Stopwatch.StartNew();
        await scheduler.SubmitAsync(new SweepRequest { SweepId = sweepId, Name = "dashboard-bench", Cells = specs, Policy = new FailurePolicy { MaxAttempts = 1 } });
        SweepStatus status;
        while (!(status = await scheduler.GetStatusAsync(sweepId)).IsComplete)
        {
            await Task.Delay(100);
        }
        var sweepSeconds = clock.Elapsed.TotalSeconds;

        using var http = new HttpClient { BaseAddress = new Uri(url) };
        var random = new Random(42);
        string CellsQuery()
        {
            var q = new List<string> { $"offset={random.Next(0, Math.Max(1, cells / 50)) * 50}", $"limit={(random.Next(2) == 0 ? 50 : 100)}",
                $"sort={Sorts[random.Next(Sorts.Length)]}", $"desc={(random.Next(2) == 0 ? "true" : "false")}" };
            switch (random.Next(6))
            {
                case 0: q.Add("status=failed"); break;
                case 1: q.Add($"method={Methods[random.Next(Methods.Length)]}"); break;
                case 2: q.Add($"tier={Uri.EscapeDataString(TierStatus.LabelOf(Tiers[random.Next(Tiers.Length)]))}"); break;
                case 3: q.Add($"seed={random.Next(seeds)}&model=bench-model-{random.Next(4)}"); break;
                case 4: q.Add("q=lora"); break;
                default: break; // no filter
            }
            return $"api/sweeps/{sweepId}/cells?{string.Join('&', q)}";
        }
        var cellIds = (await scheduler.QueryCellsAsync(sweepId, new CellQuery { Limit = 500 })).Rows.Select(r => r.CellId).ToList();
        for (var i = 0; i < 20; i++)
        {
            await GetAsync(http, CellsQuery()); // warm-up (JIT, activations), not measured
            await GetAsync(http, "api/sweeps");
        }
        var cellPage = await TimeAsync(http, requests, CellsQuery);
        // The same kind of queries straight to the scheduler grain (no HTTP, no JSON): what of the page's time is the grain's.
        var grainMs = new List<double>(requests);
        for (var i = 0; i < requests; i++)
        {
            var path = CellsQuery();
            var query = DashboardQuery.Cells(new QueryCollection(QueryHelpers.ParseQuery(path[(path.IndexOf('?') + 1)..])));
            var w = Stopwatch.StartNew();
            await scheduler.QueryCellsAsync(sweepId, query);
            grainMs.Add(w.Elapsed.TotalMilliseconds);
        }
        var grain = new Timed(new Timing(GridBenchmark.Percentile(grainMs, 0.5), GridBenchmark.Percentile(grainMs, 0.99), grainMs.Max(), 0, requests, 0));
        var sweeps = await TimeAsync(http, requests, () => "api/sweeps");
        var sweep = await TimeAsync(http, requests, () => $"api/sweeps/{sweepId}");
        var cell = await TimeAsync(http, requests, () => $"api/cells/{Uri.EscapeDataString(cellIds[random.Next(cellIds.Count)])}");
        var page = await MeasurePageAsync(url, sweepId);

        var result = new
        {
            machine = $"{Environment.ProcessorCount} cores, {Environment.MachineName}", utc = DateTime.UtcNow, cells, requests,
            succeeded = status.Succeeded, failed = status.Failed, sweepSeconds,
            loadAverage = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "",
            cellPage = cellPage.Summary, cellPageGrainOnly = grain.Summary, sweeps = sweeps.Summary, sweep = sweep.Summary, cell = cell.Summary, page,
        };
        var table = new Table().Border(TableBorder.Rounded).Title($"dashboard benchmark — {cells} cells, {requests} requests per route, HTTP on loopback");
        table.AddColumn("route").AddColumn(new TableColumn("p50 ms").RightAligned()).AddColumn(new TableColumn("p99 ms").RightAligned())
            .AddColumn(new TableColumn("max ms").RightAligned()).AddColumn(new TableColumn("mean KB").RightAligned());
        static string F(double v) => v.ToString("0.00", CultureInfo.InvariantCulture);
        foreach (var (name, t) in new[] { ("GET /api/sweeps/{id}/cells (pages, sorts, filters)", cellPage),
                     ("  of which QueryCellsAsync (grain call, no HTTP)", grain), ("GET /api/sweeps", sweeps),
                     ("GET /api/sweeps/{id}", sweep), ("GET /api/cells/{id}", cell) })
        {
            table.AddRow(Markup.Escape(name), F(t.Summary.P50Ms), F(t.Summary.P99Ms), F(t.Summary.MaxMs), F(t.Summary.MeanKilobytes));
        }
        foreach (var (name, ms) in page)
        {
            table.AddRow(Markup.Escape(name), F(ms), "", "", "");
        }
        AnsiConsole.Write(table);
        Console.WriteLine($"sweep: {status.Succeeded} succeeded, {status.Failed} failed in {sweepSeconds:0.0} s; load average {result.loadAverage}");
        await File.WriteAllTextAsync(outFile, JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true }));
        Console.WriteLine($"wrote {outFile}");
        return status.Succeeded + status.Failed == cells ? 0 : 1;
    }

    /// <summary>The page's timings in headless chromium (<see cref="DashboardPageTiming"/>): time to first render of the sweep page of
    /// the finished sweep, cold and warm, and the filter, sort and next-page interactions; name → milliseconds.</summary>
    /// <param name="dashboardUrl">The dashboard, <c>http://127.0.0.1:PORT/peftgrid/</c>.</param>
    /// <param name="sweepId">The benchmark's finished sweep (opens <c>#/sweep/{sweepId}</c>).</param>
    private static Task<Dictionary<string, double>> MeasurePageAsync(string dashboardUrl, string sweepId) =>
        DashboardPageTiming.MeasureAsync(dashboardUrl, sweepId);

    private sealed record Timing(double P50Ms, double P99Ms, double MaxMs, double MeanKilobytes, int Requests, int NonOk);

    private sealed record Timed(Timing Summary);

    private static async Task<Timed> TimeAsync(HttpClient http, int n, Func<string> path)
    {
        var ms = new List<double>(n);
        long bytes = 0;
        var nonOk = 0;
        for (var i = 0; i < n; i++)
        {
            var p = path();
            var w = Stopwatch.StartNew();
            var (ok, length) = await GetAsync(http, p);
            ms.Add(w.Elapsed.TotalMilliseconds);
            bytes += length;
            nonOk += ok ? 0 : 1;
        }
        return new Timed(new Timing(GridBenchmark.Percentile(ms, 0.5), GridBenchmark.Percentile(ms, 0.99), ms.Max(), bytes / 1024.0 / n, n, nonOk));
    }

    private static async Task<(bool Ok, long Bytes)> GetAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(path);
        var body = await response.Content.ReadAsByteArrayAsync();
        if (!response.IsSuccessStatusCode)
        {
            Console.Error.WriteLine($"GET {path}: {(int)response.StatusCode} {System.Text.Encoding.UTF8.GetString(body)}");
        }
        return (response.IsSuccessStatusCode, body.Length);
    }
}
