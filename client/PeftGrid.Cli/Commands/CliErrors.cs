using System.Net.Sockets;
using Orleans.Runtime;
using PeftGrid.Client;
using StackExchange.Redis;

namespace PeftGrid.Cli.Commands;

/// <summary>Uniform failure handling: every failure is one line on stderr (<c>peftgrid: error: reason</c>, secrets redacted)
/// and exit code 1, never a stack trace (set <c>PEFTGRID_DEBUG=1</c> to also print the exception).</summary>
public static class CliErrors
{
    /// <summary>Environment variable that adds the full exception after the one-line reason.</summary>
    public const string DebugVariable = "PEFTGRID_DEBUG";

    /// <summary>Runs <paramref name="action"/>; any exception becomes <c>peftgrid: error: <see cref="Reason"/></c> on stderr and exit code 1.</summary>
    public static async Task<int> Guard(Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (Exception e)
        {
            await Console.Error.WriteLineAsync($"peftgrid: error: {Reason(e)}");
            if (Environment.GetEnvironmentVariable(DebugVariable) is "1" or "true")
            {
                await Console.Error.WriteLineAsync(ClusterSecrets.Redact(e.ToString()));
            }
            return 1;
        }
    }

    /// <summary>Synchronous overload of <see cref="Guard(Func{Task{int}})"/>.</summary>
    public static int Guard(Func<int> action) => Guard(() => Task.FromResult(action())).GetAwaiter().GetResult();

    /// <summary>One line saying why <paramref name="e"/> happened: the message of bad input (argument, format, missing file,
    /// invalid operation), a cluster connection failure or timeout in words, anything else with its type; secrets redacted.</summary>
    public static string Reason(Exception e)
    {
        while (e is AggregateException { InnerExceptions.Count: 1 } a)
        {
            e = a.InnerExceptions[0];
        }
        var message = e.Message;
        var reason = e switch
        {
            ArgumentException or FormatException or FileNotFoundException or DirectoryNotFoundException
                or InvalidOperationException or InvalidDataException => message,
            TimeoutException => $"the cluster did not answer in time (a silo stopped or overloaded? see --response-timeout): {message}",
            SiloUnavailableException => $"the silo is unavailable (it stopped or left the cluster): {message}",
            Orleans.Runtime.Messaging.ConnectionFailedException or OrleansMessageRejectionException => $"lost the connection to the cluster: {message}",
            RedisException or SocketException or IOException => $"connection failed: {message}",
            OperationCanceledException => "cancelled",
            OrleansException => $"cluster error: {message}",
            _ => $"unexpected {e.GetType().Name}: {message}",
        };
        return ClusterSecrets.Redact(reason.ReplaceLineEndings(" ").Trim());
    }
}
