using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using System.Text;

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
    private static readonly Lazy<CpuFeatures> Detected = new(Detect);

    /// <summary>This process's CPU (read once, with CPUID; feature flags also require the OS to save the registers, as .NET's
    /// <c>IsSupported</c> checks).</summary>
    public static CpuFeatures Current => Detected.Value;

    /// <summary>True for an AMD CPU (<c>AuthenticAMD</c>).</summary>
    public bool IsAmd => Vendor == "AuthenticAMD";

    /// <summary>True for an Intel CPU (<c>GenuineIntel</c>).</summary>
    public bool IsIntel => Vendor == "GenuineIntel";

    private static CpuFeatures Detect()
    {
        var cores = Environment.ProcessorCount;
        if (!X86Base.X64.IsSupported)
        {
            var arch = RuntimeInformation.ProcessArchitecture.ToString();
            return new CpuFeatures(arch, arch, cores, false, false, false, false, false, false);
        }
        var (_, b0, c0, d0) = X86Base.CpuId(0, 0);
        var vendor = Ascii(b0, d0, c0);
        var (maxExt, _, _, _) = X86Base.CpuId(unchecked((int)0x80000000), 0);
        var brand = new StringBuilder();
        if ((uint)maxExt >= 0x80000004)
        {
            for (var leaf = 0x80000002u; leaf <= 0x80000004u; leaf++)
            {
                var (a, b, c, d) = X86Base.CpuId(unchecked((int)leaf), 0);
                brand.Append(Ascii(a, b, c, d));
            }
        }
        var (_, _, _, edx70) = X86Base.CpuId(7, 0);
        var (eax71, _, _, _) = X86Base.CpuId(7, 1);
        var avx512 = Avx512F.IsSupported && Avx512BW.IsSupported && Avx512F.VL.IsSupported && Avx512DQ.IsSupported;
        // AMX tiles also need the OS to enable XTILEDATA; .NET does not report it, so AMX bits count only with AVX-512 present.
        return new CpuFeatures(vendor, brand.ToString().TrimEnd('\0').Trim(), cores,
            System.Runtime.Intrinsics.X86.Avx2.IsSupported && Fma.IsSupported, avx512,
            Avx512Bf16: avx512 && Bit(eax71, 5), AmxBf16: avx512 && Bit(edx70, 22),
            Avx512Fp16: avx512 && Bit(edx70, 23), AmxFp16: avx512 && Bit(eax71, 21));
    }

    private static bool Bit(int register, int bit) => (register & (1 << bit)) != 0;

    private static string Ascii(params int[] registers) =>
        Encoding.ASCII.GetString(registers.SelectMany(BitConverter.GetBytes).ToArray());
}
