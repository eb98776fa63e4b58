using PeftGrid.Models.Runtime;
using Xunit;

namespace PeftGrid.Models.Tests.Runtime;

/// <summary><see cref="RuntimeWarnings.For"/> on described CPUs and BLAS states.</summary>
public class RuntimeWarningsTests
{
    private static readonly CpuFeatures Amd = new("AuthenticAMD", "AMD EPYC", 4, true, true, true, false, false, false);
    private static readonly BlasStatus MklAuto = new("Intel oneMKL 2024.2 (in libtorch_cpu)", "AUTO", false, "PEFTGRID_MKL_DISPATCH=off");

    [Fact]
    public void AmdWithAvx512OnMklsVendorNeutralPathWarnsOnce()
    {
        var warnings = RuntimeWarnings.For(Amd, MklAuto, 1, MklDispatchMode.Off).Where(w => w.StartsWith("MKL", StringComparison.Ordinal));
        Assert.Equal("MKL runs its AVX2 path on this AuthenticAMD CPU: fp32 GEMM at ~45 %; set PEFTGRID_MKL_DISPATCH=auto (PEFTGRID_MKL_DISPATCH=off)",
            Assert.Single(warnings));
    }

    [Fact]
    public void FixedMklAndIntelCpusDoNotWarn()
    {
        var fixedMkl = MklAuto with { CodePath = "AVX512_E1", DispatchFixApplied = true };
        Assert.DoesNotContain(RuntimeWarnings.For(Amd, fixedMkl, 1, MklDispatchMode.Auto), w => w.StartsWith("MKL", StringComparison.Ordinal));
        var intel = Amd with { Vendor = "GenuineIntel" };
        Assert.DoesNotContain(RuntimeWarnings.For(intel, MklAuto, 1, MklDispatchMode.Off), w => w.StartsWith("MKL", StringComparison.Ordinal));
    }

    [Fact]
    public void MoreThreadsThanLogicalCoresWarns()
    {
        var warnings = RuntimeWarnings.For(Amd, MklAuto with { DispatchFixApplied = true }, 6, MklDispatchMode.Auto);
        Assert.Contains("6 torch threads on 4 logical cores: oversubscribed, GEMM slows down; use 4 threads or fewer", warnings);
    }
}
