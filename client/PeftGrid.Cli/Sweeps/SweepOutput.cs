using System.Text.Json;
using PeftGrid.Contracts.Grid;
using PeftGrid.Contracts.Json;
using PeftGrid.Contracts.Trials;

namespace PeftGrid.Cli.Sweeps;

/// <summary>Writes a sweep's artifacts: <c>cells/&lt;cellId&gt;/result.json</c> (DESIGN.md §6), <c>leaderboard.json</c> (the sweep status, the
/// leaderboards with each row's profile, diverged count and duplicate seeds, and the diverged cells with their reason), <c>leaderboard.png</c>.</summary>
public static class SweepOutput
{
    /// <summary>Serializes <paramref name="value"/> with the solution's JSON options (<see cref="PeftGridJson.Options"/>).</summary>
    public static string ToJson<T>(T value) => JsonSerializer.Serialize(value, PeftGridJson.Options);

    /// <summary>Writes every artifact into <paramref name="dir"/> (created if needed); returns the paths written.</summary>
    public static IReadOnlyList<string> Write(string dir, SweepStatus status, IReadOnlyList<TrialResult> results, IReadOnlyList<LeaderboardView> boards)
    {
        Directory.CreateDirectory(dir);
        var written = new List<string>();
        foreach (var r in results)
        {
            var cellDir = Path.Combine(dir, "cells", r.CellId);
            Directory.CreateDirectory(cellDir);
            var path = Path.Combine(cellDir, "result.json");
            File.WriteAllText(path, ToJson(r));
            written.Add(path);
        }
        var board = Path.Combine(dir, "leaderboard.json");
        File.WriteAllText(board, ToJson(new { sweep = status, leaderboards = boards, diverged = SweepSummary.Diverged(results) }));
        written.Add(board);
        var png = Path.Combine(dir, "leaderboard.png");
        ParetoPlot.Save(png, boards);
        written.Add(png);
        return written;
    }
}
