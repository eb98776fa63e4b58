using PeftGrid.Client.Grids;
using PeftGrid.Peft.Framework;

namespace PeftGrid.Cli.Commands;

/// <summary>Loads grids with every method spec checked by the PEFT framework's own parser (keys, values, sites).</summary>
public static class GridLoading
{
    /// <summary>Loads a built-in grid or a grid file.</summary>
    /// <exception cref="GridFormatException">The grid is malformed; the message starts with the JSON path of the bad field.</exception>
    /// <exception cref="FileNotFoundException">Neither a built-in grid nor a file.</exception>
    public static GridDefinition Load(string nameOrPath) => GridParser.Load(nameOrPath, CheckMethod);

    /// <summary>The framework's error for <paramref name="spec"/>, or null when it parses.</summary>
    public static string? CheckMethod(string spec)
    {
        try
        {
            PeftConfig.Parse(spec);
            return null;
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            return e.Message;
        }
    }
}
