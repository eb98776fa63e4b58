namespace PeftGrid.Models.Runtime;

/// <summary>
/// The one place a process prepares libtorch for training: the CPU BLAS dispatch (<see cref="MklDispatch"/>, applied once, before the
/// first GEMM) and the intra-op thread count. Every entry point that trains or evaluates (the trial executor, the adapter evaluator,
/// the benchmarks, the CLI) calls <see cref="Initialize"/>; it is idempotent and thread-safe.
/// </summary>
public static class TorchRuntime
{
    /// <summary>Applies the BLAS dispatch setting (first call only) and sets torch's intra-op threads to
    /// <paramref name="threads"/> (null = <see cref="Environment.ProcessorCount"/>).</summary>
    /// <returns>What was found and done (<see cref="RuntimeReport"/>).</returns>
    public static RuntimeReport Initialize(int? threads = null) => throw new NotImplementedException("issue 12: blas helper");
}

/// <summary>What <see cref="TorchRuntime.Initialize"/> found and did.</summary>
/// <param name="Cpu">The CPU.</param>
/// <param name="Blas">The BLAS state: library, version, the code path it dispatches to, whether PeftGrid changed it.</param>
/// <param name="Threads">torch's intra-op thread count after the call.</param>
/// <param name="Warnings">One line each for a slow path detected and not fixed (printed by the CLI, logged by a silo).</param>
public sealed record RuntimeReport(CpuFeatures Cpu, BlasStatus Blas, int Threads, IReadOnlyList<string> Warnings);

/// <summary>The CPU BLAS libtorch calls for fp32 GEMM.</summary>
/// <param name="Library">E.g. <c>Intel oneMKL 2024.2 (in libtorch_cpu)</c>, or <c>none found</c>.</param>
/// <param name="CodePath">The kernel family it dispatches to, e.g. <c>AVX512_E1</c>, <c>AVX2 (Zen)</c>.</param>
/// <param name="DispatchFixApplied">True when PeftGrid made MKL take its AVX-512 path on a non-Intel CPU (<see cref="MklDispatch"/>).</param>
public sealed record BlasStatus(string Library, string CodePath, bool DispatchFixApplied);
