namespace PeftGrid.Models.Runtime;

/// <summary>The slow CPU paths <see cref="TorchRuntime.Initialize"/> detects and cannot fix itself, as one-line warnings.</summary>
public static class RuntimeWarnings
{
    /// <summary>Environment variables that cap the instruction set MKL or oneDNN use (slower GEMM / bf16 matmul when set low).</summary>
    public static readonly IReadOnlyList<string> IsaCaps = ["MKL_CBWR", "MKL_ENABLE_INSTRUCTIONS", "ONEDNN_MAX_CPU_ISA", "DNNL_MAX_CPU_ISA"];

    /// <summary>The warnings for <paramref name="cpu"/> with <paramref name="blas"/> at <paramref name="threads"/> intra-op threads.</summary>
    public static IReadOnlyList<string> For(CpuFeatures cpu, BlasStatus blas, int threads, MklDispatchMode mode)
    {
        var warnings = new List<string>();
        if (!cpu.IsIntel && cpu.Avx512 && blas.Library.Contains("MKL", StringComparison.Ordinal) && !blas.DispatchFixApplied)
        {
            var why = mode == MklDispatchMode.Off ? $"{MklDispatch.EnvironmentVariable}=off" : blas.Note;
            warnings.Add($"MKL runs its AVX2 path on this {cpu.Vendor} CPU: fp32 GEMM at ~45 %; set {MklDispatch.EnvironmentVariable}=auto ({why})");
        }
        if (threads > cpu.LogicalCores)
        {
            warnings.Add($"{threads} torch threads on {cpu.LogicalCores} logical cores: oversubscribed, GEMM slows down; use {cpu.LogicalCores} threads or fewer");
        }
        else if (PhysicalCores() is { } physical && physical < cpu.LogicalCores && threads > physical)
        {
            warnings.Add($"{threads} torch threads on {physical} physical cores: SMT siblings share one core's vector units, so GEMM is " +
                         $"fastest at one thread per physical core; use {physical} threads");
        }
        foreach (var name in IsaCaps)
        {
            if (Environment.GetEnvironmentVariable(name) is { Length: > 0 } value)
            {
                warnings.Add($"{name}={value} caps the instruction set of libtorch's BLAS/oneDNN kernels; unset it unless you need it");
            }
        }
        return warnings;
    }

    /// <summary>Physical cores on this machine (distinct SMT sibling sets in /sys/devices/system/cpu); null when unknown.</summary>
    public static int? PhysicalCores()
    {
        const string root = "/sys/devices/system/cpu";
        if (!Directory.Exists(root)) return null;
        var sets = Directory.EnumerateDirectories(root, "cpu*")
            .Select(d => Path.Combine(d, "topology", "thread_siblings_list"))
            .Where(File.Exists).Select(f => File.ReadAllText(f).Trim()).Distinct().Count();
        return sets > 0 ? sets : null;
    }
}
