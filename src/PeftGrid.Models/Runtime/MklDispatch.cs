namespace PeftGrid.Models.Runtime;

/// <summary>
/// oneMKL (linked into libtorch_cpu) picks its GEMM kernels by CPU vendor: on AMD it never takes its AVX-512 path, so fp32 GEMM runs
/// at about 45 % of what the same CPU reaches with it (measured on AMD EPYC Zen 5: 170–190 vs 400–417 GFLOP/s, 2 threads, issue 12).
/// With <see cref="MklDispatchMode.Auto"/> on an AMD CPU with AVX-512, PeftGrid redirects MKL's <c>mkl_serv_intel_cpu_true</c> (its
/// vendor check) to a stub returning 1, in this process only, before the first GEMM, so MKL dispatches by the CPU's features.
/// </summary>
public static class MklDispatch
{
    /// <summary>The environment variable that sets the mode for every PeftGrid process: <c>auto</c> (default) or <c>off</c>.</summary>
    public const string EnvironmentVariable = "PEFTGRID_MKL_DISPATCH";
}

/// <summary>Whether PeftGrid fixes MKL's vendor dispatch (<see cref="MklDispatch"/>).</summary>
public enum MklDispatchMode
{
    /// <summary>Apply the fix when it helps: an AMD (non-Intel) x86 CPU with AVX-512 and the MKL that libtorch ships.</summary>
    Auto = 0,
    /// <summary>Leave MKL as shipped.</summary>
    Off = 1,
}
