using System.CommandLine;
using PeftGrid.Cli.Sweeps;
using Spectre.Console;

namespace PeftGrid.Cli.Commands;

/// <summary><c>peftgrid leaderboard --task T [--model M] [--json]</c> against a running cluster.</summary>
public static class LeaderboardCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var c = new Command("leaderboard", "Show each budget tier's ranking (mean ± std over distinct seeds; diverged cells counted, never ranked) and the Pareto front for a task");
        var task = new Option<string>("--task") { Description = "Task, e.g. sst2", Required = true };
        var model = new Option<string?>("--model") { Description = "Model (default: every model with cells of the task)" };
        var conn = new SweepConnection();
        c.Options.Add(task);
        c.Options.Add(model);
        conn.AddTo(c);
        c.SetAction((p, ct) => CliErrors.Guard(async () =>
        {
            await using var client = await conn.ConnectAsync(p, ct);
            var boards = await client.GetLeaderboardsAsync(p.GetValue(task)!, p.GetValue(model));
            if (boards.Count == 0)
            {
                throw new ArgumentException($"no leaderboard for task '{p.GetValue(task)}' on this cluster");
            }
            if (p.GetValue(conn.Json))
            {
                Console.WriteLine(SweepOutput.ToJson(boards));
            }
            else
            {
                LeaderboardTables.Print(AnsiConsole.Console, boards);
            }
            return 0;
        }));
        return c;
    }
}
