namespace PeftGrid.Cli.Commands;

/// <summary>Uniform handling of bad input: one line on stderr, exit code 1.</summary>
public static class CliErrors
{
    /// <summary>Runs <paramref name="action"/>; an <see cref="ArgumentException"/>, <see cref="FormatException"/>,
    /// <see cref="FileNotFoundException"/>, <see cref="DirectoryNotFoundException"/> or <see cref="InvalidOperationException"/>
    /// becomes <c>peftgrid: error: message</c> on stderr and exit code 1.</summary>
    public static async Task<int> Guard(Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (Exception e) when (e is ArgumentException or FormatException or FileNotFoundException
                                       or DirectoryNotFoundException or InvalidOperationException or InvalidDataException)
        {
            var line = e.Message.ReplaceLineEndings(" ");
            await Console.Error.WriteLineAsync($"peftgrid: error: {line}");
            return 1;
        }
    }

    /// <summary>Synchronous overload of <see cref="Guard(Func{Task{int}})"/>.</summary>
    public static int Guard(Func<int> action) => Guard(() => Task.FromResult(action())).GetAwaiter().GetResult();
}
