using System.CommandLine;
using PeftGrid.Cli.Sweeps;
using PeftGrid.Client;
using PeftGrid.Client.Grids;
using PeftGrid.Contracts.Grid;

namespace PeftGrid.Cli.Commands;

/// <summary><c>peftgrid sweep run | submit | status | cancel | retry</c> (DESIGN.md §6).</summary>
public static class SweepCommand
{
    /// <summary>Builds the <c>sweep</c> command and its subcommands.</summary>
    public static Command Create()
    {
        var sweep = new Command("sweep", "Run a grid of PEFT cells on a cluster and rank the results");
        sweep.Subcommands.Add(SweepRunCommand.Create());
        sweep.Subcommands.Add(Submit());
        sweep.Subcommands.Add(Status());
        sweep.Subcommands.Add(Cancel());
        sweep.Subcommands.Add(Retry());
        return sweep;
    }

    /// <summary>The <c>--grid</c> option: a grid file or a built-in grid name.</summary>
    public static Option<string> GridOption() => new("--grid")
    {
        Description = $"Grid file (JSON) or built-in grid: {string.Join(", ", BuiltInGrids.Names)}",
        Required = true,
    };

    /// <summary>The <c>--data</c> option: the data root whose split files identify every cell's data.</summary>
    public static Option<string?> DataOption() => new("--data")
    {
        Description = "Data root: each task's split files (name, size, SHA-256) are part of its cells' ids and checked by the workers; " +
                      "an embedded cluster also trains on it (default $PEFTGRID_DATA or ../shared/data)",
    };

    /// <summary>Loads and expands a grid with the data identity of the data root <paramref name="data"/>, resolved as every command
    /// resolves it (<see cref="Tasks.Data.DataRoot.Resolve"/>).</summary>
    /// <returns>The expansion and the resolved (absolute) data root.</returns>
    /// <exception cref="GridFormatException">A malformed grid (checked first).</exception>
    /// <exception cref="DirectoryNotFoundException">No data root.</exception>
    /// <exception cref="FileNotFoundException">An unknown grid, or a task's split file missing under the data root.</exception>
    public static (GridExpansion Expansion, string DataRoot) Expand(string grid, string? data)
    {
        var definition = GridParser.Load(grid);   // a bad grid is reported before a missing data root
        var root = Tasks.Data.DataRoot.Resolve(data);
        return (GridParser.Expand(definition, root), root);
    }

    private static Command Submit()
    {
        var c = new Command("submit", "Submit a grid to a running cluster and print its sweep id");
        var grid = GridOption();
        var data = DataOption();
        var conn = new SweepConnection();
        c.Options.Add(grid);
        c.Options.Add(data);
        conn.AddTo(c);
        c.SetAction((p, ct) => CliErrors.Guard(async () =>
        {
            var (expansion, _) = Expand(p.GetValue(grid)!, p.GetValue(data));
            await using var client = await conn.ConnectAsync(p, ct);
            var result = await client.SubmitAsync(expansion.Request);
            Report(p.GetValue(conn.Json), result, expansion);
            return 0;
        }));
        return c;
    }

    private static Command Status()
    {
        var c = new Command("status", "Show a sweep's progress (or every sweep's)");
        var id = new Option<string?>("--sweep") { Description = "Sweep id (default: every sweep)" };
        var conn = new SweepConnection();
        c.Options.Add(id);
        conn.AddTo(c);
        c.SetAction((p, ct) => CliErrors.Guard(async () =>
        {
            await using var client = await conn.ConnectAsync(p, ct);
            var ids = p.GetValue(id) is { } one ? [one] : await client.ListSweepsAsync();
            var statuses = new List<SweepStatus>();
            foreach (var s in ids)
            {
                statuses.Add(await client.GetStatusAsync(s));
            }
            if (p.GetValue(conn.Json))
            {
                Console.WriteLine(SweepOutput.ToJson(statuses));
            }
            else
            {
                statuses.ForEach(s => Console.WriteLine(Line(s)));
                if (statuses.Count == 0)
                {
                    Console.WriteLine("no sweeps");
                }
            }
            return 0;
        }));
        return c;
    }

    private static Command Cancel()
    {
        var c = new Command("cancel", "Cancel a sweep: pending cells end Cancelled, running ones are stopped");
        var id = new Option<string>("--sweep") { Description = "Sweep id", Required = true };
        var conn = new SweepConnection();
        c.Options.Add(id);
        conn.AddTo(c);
        c.SetAction((p, ct) => CliErrors.Guard(async () =>
        {
            await using var client = await conn.ConnectAsync(p, ct);
            var status = await client.CancelAsync(p.GetValue(id)!);
            Console.WriteLine(p.GetValue(conn.Json) ? SweepOutput.ToJson(status) : Line(status));
            return 0;
        }));
        return c;
    }

    private static Command Retry()
    {
        var c = new Command("retry", "Rerun a sweep's failed and/or diverged cells as a new run (earlier runs' results are kept); neither flag = both");
        var id = new Option<string>("--sweep") { Description = "Sweep id", Required = true };
        var failed = new Option<bool>("--failed") { Description = "Rerun the failed cells" };
        var diverged = new Option<bool>("--diverged") { Description = "Rerun the diverged cells" };
        var conn = new SweepConnection();
        c.Options.Add(id);
        c.Options.Add(failed);
        c.Options.Add(diverged);
        conn.AddTo(c);
        c.SetAction((p, ct) => CliErrors.Guard(async () =>
        {
            await using var client = await conn.ConnectAsync(p, ct);
            var result = await client.RetryAsync(p.GetValue(id)!, new RetryRequest { Failed = p.GetValue(failed), Diverged = p.GetValue(diverged) });
            Console.WriteLine(p.GetValue(conn.Json)
                ? SweepOutput.ToJson(result)
                : $"sweep {result.SweepId}: {result.Failed} failed and {result.Diverged} diverged cells queued as a new run" +
                  (result.Lost > 0 ? $"; {result.Lost} finished cells had lost their result from storage and were queued again" : ""));
            return 0;
        }));
        return c;
    }

    /// <summary>One-line status: <c>id: queued/running/succeeded/failed/cancelled/refused</c>, diverged cells, interruptions and
    /// cells whose result was lost from storage (each when any), then why cells wait (<c>; waiting: 9 cells: no worker runs model roberta-base</c>).</summary>
    public static string Line(SweepStatus s) =>
        $"{s.SweepId}: {s.Total} cells — queued {s.Pending}, running {s.Running}, succeeded {s.Succeeded}{(s.Diverged > 0 ? $", diverged {s.Diverged}" : "")}, failed {s.Failed}, cancelled {s.Cancelled}, refused {s.Refused}" +
        (s.Interruptions > 0 ? $", interrupted {s.Interruptions}" : "") + (s.Lost > 0 ? $", lost {s.Lost} (rerun)" : "") +
        (s.IsCancelled ? " (cancelled)" : "") +
        string.Concat(s.Waiting.Select(w => $"; waiting: {w.Cells} cells: {w.Reason}"));

    /// <summary>Prints what a submission did; duplicates and refusals go to stderr.</summary>
    public static void Report(bool json, SubmitResult result, GridExpansion expansion)
    {
        foreach (var d in expansion.Duplicates)
        {
            Console.Error.WriteLine($"peftgrid: warning: {d}");
        }
        foreach (var r in result.Refused)
        {
            Console.Error.WriteLine($"peftgrid: refused: cell {r.CellId} ({r.Spec.Task}/{r.Spec.Model}/{r.Spec.Method}): {r.Reason}");
        }
        Console.WriteLine(json
            ? SweepOutput.ToJson(new { result, duplicates = expansion.Duplicates })
            : $"sweep {result.SweepId}: {result.Added} cells added, {result.Existing} already known, {result.Requeued} requeued, {result.Refused.Count} refused");
    }
}
