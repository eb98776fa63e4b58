using System.CommandLine;

namespace PeftGrid.Cli.Commands;

/// <summary>Every top-level command of <c>peftgrid</c>. Add a command by adding one line here.</summary>
public static class CommandCatalog
{
    /// <summary>The top-level commands in help order.</summary>
    public static IEnumerable<Command> All()
    {
        yield return MethodsCommand.Create();
        yield return BudgetCommand.Create();
        yield return TrainCommand.Create();
        yield return EvalCommand.Create();
        yield return GenerateCommand.Create();
        yield return ScoreCommand.Create();
        // train / eval (PeftGrid.Tasks) and sweep / leaderboard (the grid) register here.
        yield return SweepCommand.Create();
        yield return LeaderboardCommand.Create();
        yield return DashboardCommand.Create();
    }
}
