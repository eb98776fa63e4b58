using Xunit;
using PeftGrid.Models.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PeftGrid.Models.Tests.Runtime;

/// <summary><see cref="LowPrecisionBase"/>: frozen floating tensors go to bf16 in place (halving their bytes exactly), trainable
/// parameters stay float32, and the model still runs under autocast.</summary>
public class LowPrecisionBaseTests
{
    /// <summary>A frozen Linear(32→16) base with a trainable float32 rank-2 LoRA-like delta and a float32 buffer.</summary>
    private sealed class Tiny : nn.Module<Tensor, Tensor>
    {
        private readonly Linear frozen;
        private readonly Parameter a;
        private readonly Parameter b;
        private readonly Tensor scale;

        public Tiny() : base(nameof(Tiny))
        {
            frozen = nn.Linear(32, 16);
            a = nn.Parameter(torch.randn(32, 2) * 0.1);
            b = nn.Parameter(torch.randn(2, 16) * 0.1);
            scale = torch.full(16, 0.5f);
            RegisterComponents();
            foreach (var p in frozen.parameters()) p.requires_grad = false;
        }

        public Parameter A => a;

        public override Tensor forward(Tensor x) => (frozen.forward(x) + x.matmul(a).matmul(b)) * scale;
    }

    [Fact]
    public void Bf16_base_halves_the_frozen_bytes_exactly_and_keeps_trainables_fp32()
    {
        torch.manual_seed(5);
        using var model = new Tiny();
        var x = torch.randn(4, 32);
        var reference = model.forward(x).detach();

        Assert.Equal((32 * 16 + 16 + 16) * 4L, LowPrecisionBase.FrozenBytes(model)); // weight + bias + buffer, float32
        var saved = LowPrecisionBase.Apply(model, ScalarType.BFloat16);
        Assert.Equal((32 * 16 + 16 + 16) * 2L, saved);
        Assert.Equal((32 * 16 + 16 + 16) * 2L, LowPrecisionBase.FrozenBytes(model));
        Assert.All(model.parameters().Where(p => !p.requires_grad), p => Assert.Equal(ScalarType.BFloat16, p.dtype));
        Assert.All(model.buffers(), t => Assert.Equal(ScalarType.BFloat16, t.dtype));
        Assert.All(model.parameters().Where(p => p.requires_grad), p => Assert.Equal(ScalarType.Float32, p.dtype));
        Assert.Equal(0L, LowPrecisionBase.Apply(model, ScalarType.BFloat16)); // idempotent

        Tensor y;
        using (Autocast.Enter(DeviceType.CPU, ScalarType.BFloat16)) y = model.forward(x);
        var error = (y.to(ScalarType.Float32) - reference).abs().max().item<float>();
        Assert.True(error <= 0.02f * reference.abs().max().item<float>(), $"max abs error {error}");
        y.to(ScalarType.Float32).square().sum().backward();
        Assert.Equal(ScalarType.Float32, model.A.grad!.dtype);
        Assert.True(model.A.grad.abs().sum().item<float>() > 0);
    }

    [Fact]
    public void Fp32_is_not_a_low_precision_dtype()
    {
        using var model = new Tiny();
        var e = Assert.Throws<ArgumentException>(() => LowPrecisionBase.Apply(model, ScalarType.Float32));
        Assert.StartsWith("low-precision base dtype must be one of BFloat16, Float16 (got Float32)", e.Message);
    }
}
