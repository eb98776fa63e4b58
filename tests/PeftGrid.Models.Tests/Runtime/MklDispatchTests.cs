using PeftGrid.Models.Runtime;
using Xunit;
using Xunit.Abstractions;

namespace PeftGrid.Models.Tests.Runtime;

/// <summary>MKL's vendor-dispatch fix, checked in child processes (<see cref="BlasProbe"/>) and on the real libtorch_cpu.so.</summary>
public class MklDispatchTests(ITestOutputHelper output)
{
    private static bool AmdWithAvx512 => !CpuFeatures.Current.IsIntel && CpuFeatures.Current.Avx512 && OperatingSystem.IsLinux();

    [Fact]
    public void LibtorchCpuHasExactlyOneJumpSlotForMklsVendorCheck()
    {
        if (!OperatingSystem.IsLinux()) return;
        _ = TorchSharp.torch.get_num_threads();
        var path = TorchLibrary.Path("libtorch_cpu.so");
        Assert.NotNull(path);
        var slots = ElfDynamicSymbols.Read(path).RelocationsOf(MklDispatch.VendorCheck);
        var slot = Assert.Single(slots);
        Assert.Equal(ElfDynamicSymbols.JumpSlot, slot.Type);
        // libtorch-cpu-linux-x64 2.10.0: `readelf -rW libtorch_cpu.so | grep mkl_serv_intel_cpu_true` gives r_offset 0x15721b38.
        Assert.Equal(0x15721b38UL, slot.SlotVaddr);
        Assert.NotEqual(0UL, slot.SymbolValue);
        Assert.False(ElfDynamicSymbols.Read(path).BindNow);
    }

    [Fact]
    public void AutoMakesMklTakeItsAvx512PathOnAmdAndGemmStaysExact()
    {
        if (!AmdWithAvx512) return; // Intel: nothing to fix; no AVX-512: no faster path
        var result = BlasProbe.Run(false, (MklDispatch.EnvironmentVariable, "auto"));
        output.WriteLine(result.ToString());
        Assert.StartsWith("Intel oneMKL 2024.2", result.Library);
        Assert.Equal("AVX512_E1", result.CodePath);
        Assert.True(result.DispatchFixApplied);
        Assert.InRange(result.RelativeError, 0, 1e-4);
        Assert.DoesNotContain(result.Warnings, w => w.Contains("AVX2 path", StringComparison.Ordinal));
    }

    [Fact]
    public void OffLeavesMklOnItsVendorNeutralPathAndWarns()
    {
        if (!AmdWithAvx512) return;
        var result = BlasProbe.Run(false, (MklDispatch.EnvironmentVariable, "off"));
        output.WriteLine(result.ToString());
        Assert.Equal("AUTO", result.CodePath);
        Assert.False(result.DispatchFixApplied);
        Assert.InRange(result.RelativeError, 0, 1e-4);
        Assert.Contains(result.Warnings, w => w.StartsWith("MKL runs its AVX2 path on this AMD CPU", StringComparison.Ordinal));
    }

    [Fact]
    public void AFixAfterMklsFirstGemmIsReportedAsNotApplied()
    {
        if (!AmdWithAvx512) return;
        var result = BlasProbe.Run(true, (MklDispatch.EnvironmentVariable, "auto"));
        output.WriteLine(result.ToString());
        Assert.Equal("AUTO", result.CodePath);
        Assert.False(result.DispatchFixApplied);
        Assert.Contains("MKL had already chosen its code path", result.Note);
        Assert.Contains(result.Warnings, w => w.StartsWith("MKL runs its AVX2 path on this AMD CPU", StringComparison.Ordinal));
    }
}
