using PeftGrid.Models.Runtime;
using Xunit;

namespace PeftGrid.Models.Tests.Runtime;

/// <summary><see cref="CpuFeatures.Current"/> (our CPUID read) against the kernel's own CPUID read in /proc/cpuinfo.</summary>
public class CpuFeaturesTests
{
    [Fact]
    public void CpuidAgreesWithProcCpuinfo()
    {
        if (!File.Exists("/proc/cpuinfo") || !System.Runtime.Intrinsics.X86.X86Base.IsSupported) return;
        var lines = File.ReadLines("/proc/cpuinfo").TakeWhile(l => l.Length > 0).ToList();
        string Field(string name) => lines.First(l => l.StartsWith(name, StringComparison.Ordinal)).Split(':', 2)[1].Trim();
        var flags = Field("flags").Split(' ').ToHashSet();
        var cpu = CpuFeatures.Current;
        Assert.Equal(Field("vendor_id"), cpu.Vendor);
        // Not the model name: a hypervisor may answer CPUID's brand leaves differently from what the kernel recorded at boot (this
        // machine: "Oxide Virtual Turin-like Processor" from CPUID vs "AMD EPYC" in /proc/cpuinfo).
        Assert.False(string.IsNullOrWhiteSpace(cpu.ModelName));
        Assert.Equal(Environment.ProcessorCount, cpu.LogicalCores);
        Assert.Equal(flags.Contains("avx2") && flags.Contains("fma"), cpu.Avx2);
        Assert.Equal(new[] { "avx512f", "avx512bw", "avx512vl", "avx512dq" }.All(flags.Contains), cpu.Avx512);
        Assert.Equal(cpu.Avx512 && flags.Contains("avx512_bf16"), cpu.Avx512Bf16);
        Assert.Equal(cpu.Avx512 && flags.Contains("amx_bf16"), cpu.AmxBf16);
        Assert.Equal(cpu.Avx512 && flags.Contains("avx512_fp16"), cpu.Avx512Fp16);
        Assert.Equal(cpu.Avx512 && flags.Contains("amx_fp16"), cpu.AmxFp16);
    }

    [Fact]
    public void ThisMachineIsTheAmdZen5TheIssueMeasured()
    {
        // The issue's machine kind (AMD EPYC, AVX-512 with BF16, no AVX512_FP16/AMX): checked only where CPUID says AMD.
        var cpu = CpuFeatures.Current;
        if (!cpu.IsAmd || !cpu.Avx512Bf16) return;
        Assert.True(cpu.Avx512);
        Assert.True(cpu.Avx2);
        Assert.False(cpu.IsIntel);
        Assert.False(cpu.Avx512Fp16); // Zen 5 has no AVX512_FP16 and no AMX: fp16 matmul has no fast kernel here
        Assert.False(cpu.AmxBf16);
    }
}
