using System.Diagnostics;

namespace PeftGrid.Integration.Tests.Cli;

/// <summary>Runs the built <c>peftgrid</c> CLI (peftgrid.dll beside the tests) as a child process, as a user would.</summary>
public static class CliProcess
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static Task<Result> RunAsync(TimeSpan timeout, params string[] args) => RunAsync(new Dictionary<string, string>(), timeout, args);

    /// <summary>Runs the CLI with extra environment variables.</summary>
    public static async Task<Result> RunAsync(IReadOnlyDictionary<string, string> env, TimeSpan timeout, params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "peftgrid.dll");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(dll);
        foreach (var a in args) { psi.ArgumentList.Add(a); }
        psi.Environment["NO_COLOR"] = "1";
        psi.Environment["COLUMNS"] = "200";
        psi.Environment.Remove("PEFTGRID_REDIS"); // a cluster named by the caller's shell must not redirect a test's CLI
        psi.Environment.Remove("PEFTGRID_REDIS_FILE");
        foreach (var (k, v) in env) { psi.Environment[k] = v; }
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"peftgrid {string.Join(' ', args)} did not finish in {timeout}");
        }
        return new Result(process.ExitCode, await stdout, await stderr);
    }

    public static Task<Result> RunAsync(params string[] args) => RunAsync(TimeSpan.FromMinutes(2), args);
}
