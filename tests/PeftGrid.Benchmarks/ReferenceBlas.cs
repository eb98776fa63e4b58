using System.Diagnostics;
using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace PeftGrid.Benchmarks;

/// <summary>
/// The machine's best measured matmul, the denominator of the train benchmark's "% of best matmul": libtorch fp32 and bf16
/// (<c>a.matmul(b)</c>, 1024² × 1024², inputs converted before timing) and a reference BLAS called directly — OpenBLAS's
/// Fortran <c>sgemm_</c> from <c>libopenblas.so.0</c> (Debian's <c>libopenblas0-pthread</c>), skipped with a note when absent.
/// Each figure is the best of 10 timed calls after 3 warm-up calls, in GFLOP/s (2·n³ / seconds / 1e9).
/// </summary>
/// <param name="LibtorchFp32">libtorch fp32 GEMM (MKL in libtorch_cpu), GFLOP/s.</param>
/// <param name="LibtorchBf16">libtorch bf16 GEMM (oneDNN), GFLOP/s.</param>
/// <param name="OpenBlasFp32">OpenBLAS sgemm_, GFLOP/s, or null when the library is absent or failed its check.</param>
/// <param name="Note">Which reference BLAS was measured, or why none was.</param>
public sealed record MatmulReference(double LibtorchFp32, double LibtorchBf16, double? OpenBlasFp32, string Note)
{
    private const int N = 1024;

    /// <summary>Best fp32 figure: max(libtorch fp32, OpenBLAS) — the denominator for fp32 rows.</summary>
    public double BestFp32 => Math.Max(LibtorchFp32, OpenBlasFp32 ?? 0);

    /// <summary>Best matmul reachable by a bf16 run: max(<see cref="BestFp32"/>, libtorch bf16) — the denominator for bf16 rows.</summary>
    public double BestAny => Math.Max(BestFp32, LibtorchBf16);

    /// <summary>Measures all three with <paramref name="threads"/> threads (OpenBLAS via <c>openblas_set_num_threads</c>).</summary>
    public static MatmulReference Measure(int threads)
    {
        torch.manual_seed(0);
        using var a = torch.randn(N, N);
        using var b = torch.randn(N, N);
        var fp32 = Gflops(() => { using var c = a.matmul(b); });
        using var a16 = a.to(ScalarType.BFloat16);
        using var b16 = b.to(ScalarType.BFloat16);
        var bf16 = Gflops(() => { using var c = a16.matmul(b16); });
        var (open, note) = OpenBlas(a, b, threads);
        return new MatmulReference(fp32, bf16, open, note);
    }

    /// <summary>The per-figure maximum of two measurements (e.g. before and after the training children), so one noisy moment
    /// does not lower the denominator.</summary>
    public static MatmulReference Max(MatmulReference x, MatmulReference y) => new(Math.Max(x.LibtorchFp32, y.LibtorchFp32),
        Math.Max(x.LibtorchBf16, y.LibtorchBf16), x.OpenBlasFp32 is { } a && y.OpenBlasFp32 is { } b ? Math.Max(a, b) : x.OpenBlasFp32 ?? y.OpenBlasFp32, x.Note);

    private static double Gflops(Action gemm)
    {
        for (var i = 0; i < 3; i++) gemm();
        var best = double.MaxValue;
        for (var i = 0; i < 10; i++)
        {
            var clock = Stopwatch.StartNew();
            gemm();
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
        }
        return 2.0 * N * N * N / best / 1e9;
    }

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate void Sgemm(ref byte transA, ref byte transB, ref int m, ref int n, ref int k, ref float alpha, float[] a, ref int lda,
        float[] b, ref int ldb, ref float beta, float[] c, ref int ldc);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate void SetThreads(int threads);

    private static (double? Gflops, string Note) OpenBlas(Tensor a, Tensor b, int threads)
    {
        const string library = "libopenblas.so.0";
        if (!NativeLibrary.TryLoad(library, out var handle)) return (null, $"{library} not found: reference BLAS skipped (eng/bench-reference.sh installs it)");
        if (!NativeLibrary.TryGetExport(handle, "sgemm_", out var sgemmAddress)) return (null, $"{library} has no sgemm_: reference BLAS skipped");
        if (NativeLibrary.TryGetExport(handle, "openblas_set_num_threads", out var setAddress))
            Marshal.GetDelegateForFunctionPointer<SetThreads>(setAddress)(threads);
        var sgemm = Marshal.GetDelegateForFunctionPointer<Sgemm>(sgemmAddress);
        // Column-major sgemm on row-major buffers: C' = B'·A' in column-major is C = A·B in row-major.
        var left = b.data<float>().ToArray();
        var right = a.data<float>().ToArray();
        var c = new float[N * N];
        byte t = (byte)'N';
        int n = N;
        float one = 1, zero = 0;
        void Call() => sgemm(ref t, ref t, ref n, ref n, ref n, ref one, left, ref n, right, ref n, ref zero, c, ref n);
        var gflops = Gflops(Call);
        using var expected = a.matmul(b);
        using var actual = torch.tensor(c, [N, N]);
        var error = (actual - expected).abs().max().item<float>() / expected.abs().max().item<float>();
        return error <= 1e-4 ? (gflops, $"OpenBLAS sgemm_ ({library}, {threads} threads)")
            : (null, $"OpenBLAS sgemm_ result differs from libtorch by {error:E1} (relative): reference BLAS discarded");
    }
}
