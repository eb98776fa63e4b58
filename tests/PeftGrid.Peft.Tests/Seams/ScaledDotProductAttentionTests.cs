using PeftGrid.Peft.Seams;
using PeftGrid.Peft.Tuners.Prefix;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace PeftGrid.Peft.Tests.Seams;

/// <summary>Fused attention (libtorch <c>scaled_dot_product_attention</c>) against the explicit softmax path: outputs and q/k/v
/// gradients within 1e-5 abs in fp32 for every mask shape the backbones build.</summary>
public class ScaledDotProductAttentionTests
{
    private const double Fp32Tolerance = 1e-5;

    private delegate Tensor Attention(Tensor q, Tensor k, Tensor v, Tensor mask);

    /// <summary>Output and the gradients of Σ(out ⊙ g) w.r.t. q, k, v.</summary>
    private static Tensor[] Run(Attention attention, Tensor q, Tensor k, Tensor v, Tensor mask, Tensor g)
    {
        var (qq, kk, vv) = (q.detach().requires_grad_(), k.detach().requires_grad_(), v.detach().requires_grad_());
        var output = attention(qq, kk, vv, mask);
        (output * g).sum().backward();
        return [output.detach(), qq.grad!, kk.grad!, vv.grad!];
    }

    private static void AssertEquivalent(Tensor[] fused, Tensor[] reference, double tolerance)
    {
        string[] names = ["output", "dq", "dk", "dv"];
        for (var i = 0; i < fused.Length; i++)
        {
            var diff = TinyModels.MaxDiff(fused[i].to(ScalarType.Float32), reference[i].to(ScalarType.Float32));
            Assert.True(diff <= tolerance, $"{names[i]}: max abs diff {diff:E2} > {tolerance:E0}");
        }
    }

    private static (Tensor Q, Tensor K, Tensor V, Tensor G) Inputs(long b, long t, long s, long h = 3, long dh = 8)
    {
        torch.manual_seed(7);
        return (torch.randn(b, h, t, dh), torch.randn(b, h, s, dh), torch.randn(b, h, s, dh), torch.randn(b, h, t, dh));
    }

    public static TheoryData<string> Masks => ["padding", "causal", "causal-past", "none-batch1"];

    /// <summary>The additive masks of <c>CachedAttention</c>: padding [B,1,1,S], causal [1,1,T,S] (batch 1 broadcast; with cached
    /// positions T &lt; S), and an all-zero [1,1,1,S].</summary>
    private static (Tensor Mask, long T, long S) MaskFor(string kind) => kind switch
    {
        "padding" => (Padding(), 6, 6),
        "causal" => (Causal(0, 6), 6, 6),
        "causal-past" => (Causal(4, 3), 3, 7),
        _ => (torch.zeros(1, 1, 1, 5), 5, 5),
    };

    private static Tensor Padding()
    {
        var mask = torch.zeros(2, 1, 1, 6);
        mask[1, .., .., 4..] = -1e9f;
        return mask;
    }

    private static Tensor Causal(long past, long t)
    {
        var rows = torch.arange(past, past + t).unsqueeze(1);
        var cols = torch.arange(0, past + t).unsqueeze(0);
        return torch.where(cols <= rows, 0.0f, -1e9f).unsqueeze(0).unsqueeze(0);
    }

    [Theory]
    [MemberData(nameof(Masks))]
    public void FusedEqualsExplicitInOutputsAndGradients(string kind)
    {
        var (mask, t, s) = MaskFor(kind);
        var (q, k, v, g) = Inputs(2, t, s);
        var fused = Run((a, b, c, m) => ScaledDotProductAttention.Compute(a, b, c, m, AttentionDropout.None), q, k, v, mask, g);
        var reference = Run((a, b, c, m) => ScaledDotProductAttention.Explicit(a, b, c, m, AttentionDropout.None), q, k, v, mask, g);
        AssertEquivalent(fused, reference, Fp32Tolerance);
    }

    [Fact]
    public void EvalModeDropsNothingWhateverTheProbability()
    {
        var (mask, t, s) = MaskFor("padding");
        var (q, k, v, g) = Inputs(2, t, s);
        var eval = new AttentionDropout(0.5, Training: false);
        Assert.Equal(0.0, eval.Effective);
        var fused = Run((a, b, c, m) => ScaledDotProductAttention.Compute(a, b, c, m, eval), q, k, v, mask, g);
        var reference = Run((a, b, c, m) => ScaledDotProductAttention.Explicit(a, b, c, m, AttentionDropout.None), q, k, v, mask, g);
        AssertEquivalent(fused, reference, Fp32Tolerance);
    }

    [Fact]
    public void TrainingModePassesTheDropoutProbabilityToTheFusedKernel()
    {
        // V = 1: every output element is Σ_j keep_j p_j / (1 − 0.5); its mean over 98,304 elements is 1 ± ~0.01, its spread is not 0.
        torch.manual_seed(3);
        var (q, k) = (torch.randn(8, 4, 64, 48), torch.randn(8, 4, 64, 48));
        var output = ScaledDotProductAttention.Compute(q, k, torch.ones(8, 4, 64, 48), torch.zeros(1, 1, 1, 64), new AttentionDropout(0.5, true));
        Assert.InRange(output.mean().item<float>(), 0.97, 1.03);
        Assert.True(output.std().item<float>() > 0.05);
        var eval = ScaledDotProductAttention.Compute(q, k, torch.ones(8, 4, 64, 48), torch.zeros(1, 1, 1, 64), new AttentionDropout(0.5, false));
        Assert.True(TinyModels.MaxDiff(eval, torch.ones_like(eval)) <= Fp32Tolerance);
    }

    [Theory]
    [InlineData("padding")]
    [InlineData("causal")]
    public void PrefixByConcatenationEqualsTheExplicitConcatenation(string kind)
    {
        var (mask, t, s) = MaskFor(kind);
        var (q, k, v, g) = Inputs(2, t, s);
        torch.manual_seed(11);
        var (pk, pv) = (torch.randn(3, 4, 8), torch.randn(3, 4, 8));
        var fused = Run((a, b, c, m) => PrefixAttention.Attend(a, b, c, m, pk, pv, PrefixUse.Concat, AttentionDropout.None), q, k, v, mask, g);
        var reference = Run((a, b, c, m) =>
        {
            var (ek, ev) = (pk.unsqueeze(0).expand(2, -1, -1, -1), pv.unsqueeze(0).expand(2, -1, -1, -1));
            var prefixMask = torch.zeros(m.shape[0], 1, m.shape[2], 4);
            return ScaledDotProductAttention.Explicit(a, torch.cat([ek, b], 2), torch.cat([ev, c], 2), torch.cat([prefixMask, m], 3), AttentionDropout.None);
        }, q, k, v, mask, g);
        AssertEquivalent(fused, reference, Fp32Tolerance);
    }

    /// <summary>bf16 fused attention against the fp32 explicit reference: bf16 keeps 8 significant bits (relative step 2⁻⁸ ≈ 0.4 %),
    /// so outputs of magnitude ≤ ~3 agree within 3e-2 abs and gradients (magnitudes ≤ ~10) within 1e-1.</summary>
    [Theory]
    [InlineData("padding")]
    [InlineData("causal")]
    public void Bf16FusedStaysWithinBf16ResolutionOfTheFp32Reference(string kind)
    {
        var (mask, t, s) = MaskFor(kind);
        var (q, k, v, g) = Inputs(2, t, s);
        Tensor Bf16(Tensor x) => x.to(ScalarType.BFloat16);
        var fused = Run((a, b, c, m) => ScaledDotProductAttention.Compute(a, b, c, m, AttentionDropout.None), Bf16(q), Bf16(k), Bf16(v), mask, Bf16(g));
        var reference = Run((a, b, c, m) => ScaledDotProductAttention.Explicit(a, b, c, m, AttentionDropout.None), q, k, v, mask, g);
        Assert.Equal(ScalarType.BFloat16, fused[0].dtype);
        AssertEquivalent(fused[..1], reference[..1], 3e-2);
        AssertEquivalent(fused, reference, 1e-1);
    }
}
