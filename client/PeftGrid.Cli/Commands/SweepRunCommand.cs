using System.CommandLine;
using System.Diagnostics;
using PeftGrid.Cli.Sweeps;
using PeftGrid.Client;
using PeftGrid.Client.Grids;
using PeftGrid.Contracts.Grid;
using PeftGrid.Grains.Runners;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PeftGrid.Silo.Hosting;
using Spectre.Console;

namespace PeftGrid.Cli.Commands;

/// <summary><c>peftgrid sweep run --grid G [--embedded | --redis CONN] [--data DIR] [--out DIR] [--dashboard [PORT]]</c>.</summary>
public static class SweepRunCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var c = new Command("run", "Submit a grid, show live progress, print the leaderboard per tier, write results and a plot");
        var grid = SweepCommand.GridOption();
        var embedded = new Option<bool>("--embedded") { Description = "Run on an in-process single-silo cluster (the default without --redis/--redis-file/--gateway-port/$PEFTGRID_REDIS)" };
        var data = SweepCommand.DataOption();
        var output = new Option<string>("--out") { Description = "Output directory", DefaultValueFactory = _ => "sweep-out" };
        var devices = new Option<string[]>("--devices") { Description = "Embedded workers, e.g. cpu:0 (default cpu:0; the torch runner trains on one device per process)", AllowMultipleArgumentsPerToken = true };
        var runner = new Option<string>("--runner") { Description = "Embedded trial runner: torch (default) or fake (tests only)", DefaultValueFactory = _ => "torch", Hidden = true };
        var dashboard = new Option<int?>("--dashboard")
        {
            Description = "Serve the web dashboard of the embedded cluster on 127.0.0.1:PORT (default 8080) and keep serving after the sweep until Ctrl-C",
            Arity = ArgumentArity.ZeroOrOne,
            CustomParser = r => r.Tokens.Count == 0 ? 8080
                : int.TryParse(r.Tokens[0].Value, out var port) && port is >= 0 and <= 65535 ? port
                : throw new ArgumentException($"--dashboard: '{r.Tokens[0].Value}' is not a port; expected 0-65535 (default 8080)"),
        };
        var conn = new SweepConnection();
        foreach (var o in new Option[] { grid, embedded, data, output, devices, runner, dashboard })
        {
            c.Options.Add(o);
        }
        conn.AddTo(c);
        c.SetAction((p, ct) => CliErrors.Guard(async () =>
        {
            var (expansion, dataRoot) = SweepCommand.Expand(p.GetValue(grid)!, p.GetValue(data));
            if (p.GetValue(embedded) && conn.NamedOnCommandLine(p))
            {
                throw new ArgumentException("--embedded cannot be combined with --redis, --redis-file or --gateway-port");
            }
            var json = p.GetValue(conn.Json);
            var serve = p.GetValue(dashboard);
            var onCluster = !p.GetValue(embedded) && conn.Named(p);
            if (serve is not null && onCluster)
            {
                throw new ArgumentException("--dashboard serves an embedded cluster's dashboard; for a running cluster use `peftgrid dashboard` (or the silos' own)");
            }
            if (!onCluster && p.GetValue(runner) == "torch") CliRuntime.Prepare(null); // the embedded silo trains in this process
            await using var cluster = onCluster ? null : await EmbeddedCluster.StartAsync(new EmbeddedClusterOptions
            {
                DataRoot = dataRoot, RunnerKind = p.GetValue(runner)!,
                Devices = p.GetValue(devices) is { Length: > 0 } d ? d : ["cpu:0"],
                Fake = new FakeRunnerOptions { CellMilliseconds = 20 },
                Dashboard = serve is not null, DashboardPort = serve ?? 8080,
            }, ct);
            if (cluster?.DashboardUrl is { } url)
            {
                Console.Error.WriteLine($"dashboard: {url}");
            }
            await using var client = cluster is null ? await conn.ConnectAsync(p, ct) : PeftGridClient.FromClusterClient(cluster.Client);
            var clock = Stopwatch.StartNew();
            var submitted = await client.SubmitAsync(expansion.Request);
            SweepCommand.Report(json, submitted, expansion);
            // An embedded cluster is all the workers there will be: stop once what is left waits for a worker it lacks.
            var status = await FollowAsync(client, expansion.Request.SweepId, json, ct, stopWhenStalled: cluster is not null);
            var results = await client.GetResultsAsync(status.SweepId);
            var boards = new List<LeaderboardView>();
            foreach (var key in status.Boards)
            {
                boards.Add(await client.GetLeaderboardAsync(key));
            }
            var dir = p.GetValue(output)!;
            var written = SweepOutput.Write(dir, status, results, boards);
            if (json)
            {
                Console.WriteLine(SweepOutput.ToJson(new { status, wallSeconds = clock.Elapsed.TotalSeconds, leaderboards = boards, diverged = SweepSummary.Diverged(results), output = dir }));
            }
            else
            {
                LeaderboardTables.Print(AnsiConsole.Console, boards);
                foreach (var line in SweepSummary.ErrorLines(await client.GetCellsAsync(status.SweepId), results))
                {
                    Console.Error.WriteLine(line); // failed cells, then diverged ones (counted on the leaderboard, never ranked)
                }
                foreach (var w in status.Waiting)
                {
                    Console.Error.WriteLine($"peftgrid: not run: {w.Cells} cells: {w.Reason}"); // left queued in the (embedded) cluster
                }
                Console.WriteLine($"{SweepCommand.Line(status)}; wall time {clock.Elapsed.TotalSeconds:0.0} s; wrote {written.Count} files to {Path.GetFullPath(dir)}");
            }
            if (cluster?.DashboardUrl is { } serving)
            {
                Console.Error.WriteLine($"dashboard: the sweep finished; still serving {serving} until Ctrl-C");
                await ServeUntilStoppedAsync(cluster, ct);
            }
            return 0;
        }));
        return c;
    }

    /// <summary>Waits for Ctrl-C / SIGTERM (or the silo host stopping), then returns normally.</summary>
    private static async Task ServeUntilStoppedAsync(EmbeddedCluster cluster, CancellationToken ct)
    {
        var lifetime = cluster.Host.Services.GetRequiredService<IHostApplicationLifetime>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct, lifetime.ApplicationStopping);
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token);
        }
        catch (OperationCanceledException)
        {
            // Ctrl-C / SIGTERM
        }
    }

    /// <summary>Polls the sweep to completion, showing queued/running/done/failed and an ETA unless <paramref name="quiet"/>.</summary>
    /// <param name="client">The cluster.</param>
    /// <param name="sweepId">The sweep.</param>
    /// <param name="quiet">No progress output.</param>
    /// <param name="ct">Stops following.</param>
    /// <param name="stopWhenStalled">Also stop when workers have registered and every pending cell waits for a capability none has
    /// (<see cref="SweepStatus.IsStalled"/>): right for an embedded cluster, which gains no worker later.</param>
    public static async Task<SweepStatus> FollowAsync(PeftGridClient client, string sweepId, bool quiet, CancellationToken ct, bool stopWhenStalled = false)
    {
        Func<SweepStatus, bool>? until = stopWhenStalled ? s => s.IsStalled && s.Workers > 0 : null;
        var clock = Stopwatch.StartNew();
        var first = await client.GetStatusAsync(sweepId);
        var eta = new SweepEta(first.Done);
        if (quiet || !AnsiConsole.Profile.Capabilities.Interactive)
        {
            var last = "";
            await foreach (var s in client.WatchAsync(sweepId, TimeSpan.FromMilliseconds(500), ct, until))
            {
                var estimate = eta.Estimate(s, clock.Elapsed);
                var counts = Describe(s, null); // a log line per change of the counts, not per tick of the ETA
                if (!quiet && counts != last)
                {
                    Console.Error.WriteLine(Describe(s, estimate));
                }
                last = counts;
                first = s;
            }
            return first;
        }
        SweepStatus final = first;
        await AnsiConsole.Progress().AutoClear(false).HideCompleted(false).StartAsync(async ctx =>
        {
            var bar = ctx.AddTask(Markup.Escape(sweepId), maxValue: Math.Max(1, first.Total));
            await foreach (var s in client.WatchAsync(sweepId, TimeSpan.FromMilliseconds(500), ct, until))
            {
                bar.Value = s.Done;
                bar.Description = Markup.Escape(Describe(s, eta.Estimate(s, clock.Elapsed)));
                final = s;
            }
        });
        return final;
    }

    /// <summary>Progress line: cells queued (of which waiting for a worker that can run them) / running / done / failed (/ cancelled)
    /// and the ETA (<c>…</c> until a cell has finished).</summary>
    public static string Describe(SweepStatus s, TimeSpan? eta)
    {
        var remaining = s.Pending + s.Running;
        return $"queued {s.Pending}" + (s.WaitingCount > 0 ? $" ({s.WaitingCount} waiting: {s.Waiting[0].Reason})" : "") +
               $", running {s.Running}, done {s.Succeeded}, failed {s.Failed}" +
               (s.Cancelled > 0 ? $", cancelled {s.Cancelled}" : "") + (remaining == 0 ? "" : eta is { } e ? $", ETA {e:hh\\:mm\\:ss}" : ", ETA …");
    }
}

/// <summary>
/// A sweep's remaining time from this client's observed throughput, counting down between completions: seconds per
/// finished cell (up to the last completion) × cells left, minus the time since the last completion, never below 0.
/// </summary>
/// <param name="doneAtStart">Cells already finished when the client started following (not counted in the rate).</param>
public sealed class SweepEta(int doneAtStart)
{
    private readonly int start = doneAtStart;
    private int lastDone = doneAtStart;
    private TimeSpan lastAt = TimeSpan.Zero;

    /// <summary>The estimate at <paramref name="elapsed"/> (time since following began); null before the first completion or when nothing is left.</summary>
    public TimeSpan? Estimate(SweepStatus status, TimeSpan elapsed)
    {
        if (status.Done != lastDone)
        {
            lastDone = status.Done;
            lastAt = elapsed;
        }
        var doneNow = status.Done - start;
        var remaining = status.Pending + status.Running;
        if (doneNow <= 0 || remaining == 0)
        {
            return null;
        }
        var perCell = lastAt.TotalSeconds / doneNow;
        return TimeSpan.FromSeconds(Math.Max(0, perCell * remaining - (elapsed - lastAt).TotalSeconds));
    }
}
