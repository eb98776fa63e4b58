using PeftGrid.Models.Runtime;

namespace PeftGrid.Cli.Commands;

/// <summary>Prepares libtorch for a command that runs models in-process (<see cref="TorchRuntime.Initialize"/>: the CPU BLAS dispatch
/// before the first GEMM, and threads) and prints its warnings to stderr, once per process.</summary>
public static class CliRuntime
{
    private static int printed;

    /// <summary>Initializes with <paramref name="threads"/> (null = processor count) and prints each warning as
    /// <c>peftgrid: warning: …</c> the first time.</summary>
    /// <exception cref="ArgumentException">Bad <paramref name="threads"/> or <c>PEFTGRID_MKL_DISPATCH</c> value.</exception>
    public static RuntimeReport Prepare(int? threads)
    {
        var report = TorchRuntime.Initialize(threads);
        if (Interlocked.Exchange(ref printed, 1) == 0)
        {
            foreach (var warning in report.Warnings) Console.Error.WriteLine($"peftgrid: warning: {warning}");
        }
        return report;
    }
}
