namespace PeftGrid.Models.Runtime;

/// <summary>
/// What this process's CPU offers for the kernels PeftGrid depends on, read with CPUID (vendor, brand string, feature bits with
/// the OS's register-state support): MKL's fp32 GEMM dispatch depends on the vendor and AVX-512, oneDNN's bf16/fp16 matmul on
/// AVX512_BF16 / AMX-BF16 / AVX512_FP16 / AMX-FP16. On a non-x86 CPU every flag is false and <see cref="Vendor"/> is the
/// architecture's name.
/// </summary>
/// <param name="Vendor">CPUID vendor string: <c>AuthenticAMD</c>, <c>GenuineIntel</c>, … (or e.g. <c>Arm64</c>).</param>
/// <param name="ModelName">The brand string, e.g. <c>AMD EPYC 9R45</c>.</param>
/// <param name="LogicalCores">Logical processors this process may use.</param>
/// <param name="Avx2">AVX2 and FMA.</param>
/// <param name="Avx512">AVX-512 F, BW, VL and DQ (oneDNN's <c>avx512_core</c>, MKL's AVX-512 path).</param>
/// <param name="Avx512Bf16">AVX512_BF16 (<c>vdpbf16ps</c>; CPUID.(7,1):EAX[5]).</param>
/// <param name="AmxBf16">AMX-BF16 tiles (CPUID.(7,0):EDX[22]).</param>
/// <param name="Avx512Fp16">AVX512_FP16 (CPUID.(7,0):EDX[23]).</param>
/// <param name="AmxFp16">AMX-FP16 (CPUID.(7,1):EAX[21]).</param>
public sealed record CpuFeatures(string Vendor, string ModelName, int LogicalCores, bool Avx2, bool Avx512, bool Avx512Bf16,
    bool AmxBf16, bool Avx512Fp16, bool AmxFp16)
{
    /// <summary>This process's CPU (read once).</summary>
    public static CpuFeatures Current => throw new NotImplementedException("issue 12: blas helper");

    /// <summary>True for an AMD CPU (<c>AuthenticAMD</c>).</summary>
    public bool IsAmd => Vendor == "AuthenticAMD";

    /// <summary>True for an Intel CPU (<c>GenuineIntel</c>).</summary>
    public bool IsIntel => Vendor == "GenuineIntel";
}
