using TorchSharp;
using static TorchSharp.torch;

namespace PeftGrid.Models.Runtime;

/// <summary>
/// Whether a training precision has a fast matmul kernel on a device. On CPU, libtorch's bf16/fp16 matmul is oneDNN's: bf16 uses
/// <c>vdpbf16ps</c> (AVX512_BF16) or AMX-BF16 tiles, fp16 uses AVX512_FP16 or AMX-FP16. Measured on AMD EPYC Zen 5 (issue 12, 2 threads):
/// bf16 706–731 GFLOP/s with AVX512_BF16; 146–149 with AVX-512 but no BF16 (oneDNN <c>avx512_core</c>, about 1/3 of fp32 with MKL's
/// AVX-512 path); 1–2 with AVX2 only (a reference loop, ~200× slower); fp16 without AVX512_FP16/AMX-FP16: 1 GFLOP/s.
/// </summary>
public static class PrecisionSupport
{
    /// <summary>Checks <paramref name="dtype"/> (Float32, BFloat16 or Float16) on <paramref name="device"/> against
    /// <paramref name="cpu"/> (default <see cref="CpuFeatures.Current"/>).</summary>
    /// <returns>Null when fast, or a one-line warning when it runs but slower than fp32.</returns>
    /// <exception cref="ArgumentException">No fast kernel (slower than fp32 by 100× or more), or another dtype.</exception>
    public static string? Check(DeviceType device, ScalarType dtype, CpuFeatures? cpu = null)
    {
        if (dtype == ScalarType.Float32) return null;
        if (dtype is not (ScalarType.BFloat16 or ScalarType.Float16))
        {
            throw new ArgumentException($"precision: {dtype} is not a training precision; allowed: Float32, BFloat16, Float16");
        }
        if (device != DeviceType.CPU) return null; // CUDA: fp16 and bf16 tensor-core kernels (bf16 from Ampere on)
        cpu ??= CpuFeatures.Current;
        if (dtype == ScalarType.Float16 && !cpu.Avx512Fp16 && !cpu.AmxFp16)
        {
            throw new ArgumentException($"precision: fp16 has no fast CPU kernel on {cpu.ModelName} (needs AVX512_FP16 or AMX-FP16; " +
                                        "~1 GFLOP/s without); use bf16 or fp32");
        }
        if (dtype == ScalarType.BFloat16 && !cpu.Avx512)
        {
            throw new ArgumentException($"precision: bf16 has no fast CPU kernel on {cpu.ModelName} (needs AVX-512, ideally AVX512_BF16 " +
                                        "or AMX-BF16; ~200× slower than fp32 without); use fp32");
        }
        if (dtype == ScalarType.BFloat16 && !cpu.Avx512Bf16 && !cpu.AmxBf16)
        {
            return $"precision: bf16 on {cpu.ModelName} (AVX-512 without AVX512_BF16/AMX-BF16) converts in software: matmul at ~1/3 of fp32; fp32 is faster here";
        }
        return null;
    }
}
