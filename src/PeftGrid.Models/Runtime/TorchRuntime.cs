using TorchSharp;

namespace PeftGrid.Models.Runtime;

/// <summary>
/// The one place a process prepares libtorch for training: the CPU BLAS dispatch (<see cref="MklDispatch"/>, applied once, before the
/// first GEMM) and the intra-op thread count. Every entry point that trains or evaluates (the trial executor, the adapter evaluator,
/// the benchmarks, the CLI) calls <see cref="Initialize"/>; it is idempotent and thread-safe.
/// </summary>
public static class TorchRuntime
{
    private static readonly Lock Gate = new();
    private static BlasStatus? blas;

    /// <summary>The report of the latest <see cref="Initialize"/> call; null before the first.</summary>
    public static RuntimeReport? Last { get; private set; }

    /// <summary>Applies the BLAS dispatch setting (<see cref="MklDispatch.EnvironmentVariable"/>; first call only) and sets torch's
    /// intra-op threads to <paramref name="threads"/> (null = <see cref="Environment.ProcessorCount"/>).</summary>
    /// <returns>What was found and done (<see cref="RuntimeReport"/>).</returns>
    /// <exception cref="ArgumentException"><paramref name="threads"/> below 1, or a bad <see cref="MklDispatch.EnvironmentVariable"/>.</exception>
    public static RuntimeReport Initialize(int? threads = null)
    {
        var n = threads ?? Environment.ProcessorCount;
        if (n < 1) throw new ArgumentException($"threads: {n} is not a thread count; allowed: 1 or more", nameof(threads));
        lock (Gate)
        {
            var mode = MklDispatch.ModeFromEnvironment();
            blas ??= MklDispatch.Apply(mode);
            torch.set_num_threads(n);
            var cpu = CpuFeatures.Current;
            Last = new RuntimeReport(cpu, blas, torch.get_num_threads(), RuntimeWarnings.For(cpu, blas, n, mode));
            return Last;
        }
    }
}

/// <summary>What <see cref="TorchRuntime.Initialize"/> found and did.</summary>
/// <param name="Cpu">The CPU.</param>
/// <param name="Blas">The BLAS state: library, version, the code path it dispatches to, whether PeftGrid changed it.</param>
/// <param name="Threads">torch's intra-op thread count after the call.</param>
/// <param name="Warnings">One line each for a slow path detected and not fixed (printed by the CLI, logged by a silo).</param>
public sealed record RuntimeReport(CpuFeatures Cpu, BlasStatus Blas, int Threads, IReadOnlyList<string> Warnings)
{
    /// <summary>One summary line (CPU, BLAS and code path, threads), e.g. <c>AMD EPYC (AuthenticAMD), Intel oneMKL 2024.2 (in
    /// libtorch_cpu), code path AVX512_E1 (PeftGrid dispatch fix), 2 threads</c>.</summary>
    public string Summary => $"{Cpu.ModelName} ({Cpu.Vendor}), {Blas}, {Threads} threads";
}

/// <summary>The CPU BLAS libtorch calls for fp32 GEMM.</summary>
/// <param name="Library">E.g. <c>Intel oneMKL 2024.2 (in libtorch_cpu)</c>, or <c>none found</c>.</param>
/// <param name="CodePath">MKL's code-path branch (<see cref="MklDispatch.BranchName"/>), e.g. <c>AVX512_E1</c>, or <c>AUTO</c> (the
/// vendor-neutral path MKL takes on a non-Intel CPU).</param>
/// <param name="DispatchFixApplied">True when PeftGrid made MKL take its AVX-512 path on a non-Intel CPU (<see cref="MklDispatch"/>).</param>
/// <param name="Note">What was done or why not, and MKL's raw <c>mkl_serv_cpu_detect</c> value; empty when nothing to say.</param>
public sealed record BlasStatus(string Library, string CodePath, bool DispatchFixApplied, string Note = "")
{
    /// <inheritdoc />
    public override string ToString() => $"{Library}, code path {CodePath}{(DispatchFixApplied ? " (PeftGrid dispatch fix)" : "")}";
}
