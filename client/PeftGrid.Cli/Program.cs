using System.CommandLine;
using PeftGrid.Cli.Commands;

namespace PeftGrid.Cli;

/// <summary>The <c>peftgrid</c> command (DESIGN.md §6). Each command lives in its own file under Commands/.</summary>
public static class Program
{
    /// <summary>Builds the command tree: methods, budget, train, eval, generate, sweep, leaderboard.</summary>
    public static RootCommand BuildRoot()
    {
        var root = new RootCommand("PeftGrid: parameter-efficient fine-tuning research at cluster scale (He et al., ICLR 2022).");
        foreach (var command in CommandCatalog.All())
        {
            root.Subcommands.Add(command);
        }
        return root;
    }

    /// <summary>Entry point. Exit code 0 on success, 1 on bad input or failure (with a one-line reason on stderr).</summary>
    public static async Task<int> Main(string[] args)
    {
        if (Console.IsOutputRedirected)
        {
            // A file or pipe has no width: keep tables on one line per row instead of wrapping at 80 columns.
            Spectre.Console.AnsiConsole.Profile.Width = 200;
        }
        // Every failure is one line and exit code 1 (CliErrors), also one that escapes a command's own guard.
        return await CliErrors.Guard(() => BuildRoot().Parse(args).InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false }));
    }
}
