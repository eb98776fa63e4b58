using Xunit;
using PeftGrid.Models.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace PeftGrid.Models.Tests.Runtime;

/// <summary>libtorch's autocast reached through <see cref="Autocast"/>: matmuls run in the low dtype, master weights and their
/// gradients stay float32, scopes nest and restore.</summary>
public class AutocastTests
{
    [Fact]
    public void Bf16_scope_runs_linear_and_matmul_in_bf16_and_keeps_fp32_master_grads()
    {
        torch.manual_seed(1);
        using var linear = nn.Linear(16, 8);
        var x = torch.randn(4, 16);
        Tensor y, mm;
        using (Autocast.Enter(DeviceType.CPU, ScalarType.BFloat16))
        {
            Assert.True(Autocast.IsEnabledOn(DeviceType.CPU));
            y = linear.forward(x);
            mm = x.matmul(x.t());
        }
        Assert.False(Autocast.IsEnabledOn(DeviceType.CPU));
        Assert.Equal(ScalarType.BFloat16, y.dtype);
        Assert.Equal(ScalarType.BFloat16, mm.dtype);
        Assert.Equal(ScalarType.Float32, linear.forward(x).dtype); // outside the scope: fp32 again

        // The bf16 output matches the fp32 one to bf16's 8-bit mantissa (relative 2^-8 per element, here ≤ 2 % of the range).
        var reference = linear.forward(x);
        var error = (y.to(ScalarType.Float32) - reference).abs().max().item<float>();
        Assert.True(error <= 0.02f * reference.abs().max().item<float>(), $"max abs error {error}");

        y.to(ScalarType.Float32).sum().backward();
        Assert.Equal(ScalarType.Float32, linear.weight!.dtype);
        Assert.Equal(ScalarType.Float32, linear.weight.grad!.dtype);
        Assert.Equal(ScalarType.Float32, linear.bias!.grad!.dtype);
        Assert.Equal(4f, linear.bias.grad.min().item<float>()); // d(sum)/d(bias) = batch size, exact in bf16
    }

    [Fact]
    public void Scopes_nest_and_restore_the_outer_dtype()
    {
        var x = torch.randn(3, 3);
        using (Autocast.Enter(DeviceType.CPU, ScalarType.BFloat16))
        {
            using (Autocast.Enter(DeviceType.CPU, ScalarType.Float16)) Assert.Equal(ScalarType.Float16, x.matmul(x).dtype);
            Assert.True(Autocast.IsEnabledOn(DeviceType.CPU));
            Assert.Equal(ScalarType.BFloat16, x.matmul(x).dtype);
        }
        Assert.False(Autocast.IsEnabledOn(DeviceType.CPU));
        Assert.Equal(ScalarType.Float32, x.matmul(x).dtype);
        using (Autocast.EnterIf(DeviceType.CPU, null)) Assert.Equal(ScalarType.Float32, x.matmul(x).dtype);
    }

    [Fact]
    public void A_dtype_other_than_bf16_or_fp16_is_a_one_line_error()
    {
        var e = Assert.Throws<ArgumentException>(() => Autocast.Enter(DeviceType.CPU, ScalarType.Float32));
        Assert.StartsWith("autocast dtype must be one of BFloat16, Float16 (got Float32)", e.Message);
    }
}
