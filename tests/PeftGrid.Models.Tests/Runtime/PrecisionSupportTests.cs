using PeftGrid.Models.Runtime;
using TorchSharp;
using Xunit;

namespace PeftGrid.Models.Tests.Runtime;

/// <summary><see cref="PrecisionSupport.Check"/> on described CPUs (no kernels run).</summary>
public class PrecisionSupportTests
{
    private static CpuFeatures Cpu(bool avx512 = true, bool bf16 = false, bool fp16 = false, bool amx = false) =>
        new("AuthenticAMD", "Test CPU", 8, true, avx512, bf16, amx, fp16, amx);

    [Fact]
    public void Fp32IsAlwaysFast() => Assert.Null(PrecisionSupport.Check(DeviceType.CPU, torch.ScalarType.Float32, Cpu(avx512: false)));

    [Fact]
    public void Bf16WithAvx512Bf16OrAmxIsFast()
    {
        Assert.Null(PrecisionSupport.Check(DeviceType.CPU, torch.ScalarType.BFloat16, Cpu(bf16: true)));
        Assert.Null(PrecisionSupport.Check(DeviceType.CPU, torch.ScalarType.BFloat16, Cpu(amx: true)));
    }

    [Fact]
    public void Bf16WithAvx512ButNoBf16Warns()
    {
        var warning = PrecisionSupport.Check(DeviceType.CPU, torch.ScalarType.BFloat16, Cpu());
        Assert.Equal("precision: bf16 on Test CPU (AVX-512 without AVX512_BF16/AMX-BF16) converts in software: matmul at ~1/3 of fp32; " +
                     "fp32 is faster here", warning);
    }

    [Fact]
    public void Bf16WithoutAvx512Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => PrecisionSupport.Check(DeviceType.CPU, torch.ScalarType.BFloat16, Cpu(avx512: false)));
        Assert.StartsWith("precision: bf16 has no fast CPU kernel on Test CPU", e.Message);
    }

    [Fact]
    public void Fp16OnCpuNeedsAvx512Fp16OrAmxFp16()
    {
        var e = Assert.Throws<ArgumentException>(() => PrecisionSupport.Check(DeviceType.CPU, torch.ScalarType.Float16, Cpu(bf16: true)));
        Assert.StartsWith("precision: fp16 has no fast CPU kernel on Test CPU", e.Message);
        Assert.Null(PrecisionSupport.Check(DeviceType.CPU, torch.ScalarType.Float16, Cpu(fp16: true)));
        Assert.Null(PrecisionSupport.Check(DeviceType.CPU, torch.ScalarType.Float16, Cpu(amx: true)));
    }

    [Fact]
    public void CudaTakesBothHalfPrecisionsAndOtherDtypesAreRejected()
    {
        Assert.Null(PrecisionSupport.Check(DeviceType.CUDA, torch.ScalarType.Float16, Cpu(avx512: false)));
        Assert.Null(PrecisionSupport.Check(DeviceType.CUDA, torch.ScalarType.BFloat16, Cpu(avx512: false)));
        Assert.Throws<ArgumentException>(() => PrecisionSupport.Check(DeviceType.CPU, torch.ScalarType.Int64, Cpu()));
    }
}
