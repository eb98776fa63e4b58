using PeftGrid.Peft.Seams;
using PeftGrid.Peft.Tuners.Prefix;
using TorchSharp;
using Xunit;

namespace PeftGrid.Peft.Tests.Tuners.Prefix;

public class PrefixAttentionTests
{
    private const double Tolerance = 1e-5;

    [Fact]
    public void PrefixByConcatenationEqualsTheGatedFormOfEq7To9()
    {
        torch.manual_seed(1);
        var (b, h, t, l, dh) = (2, 3, 5, 4, 8);
        var q = torch.randn(b, h, t, dh); var k = torch.randn(b, h, t, dh); var v = torch.randn(b, h, t, dh);
        var pk = torch.randn(h, l, dh); var pv = torch.randn(h, l, dh);
        var mask = torch.zeros(b, 1, 1, t); mask[1, .., .., 3..] = -1e9f;
        var concat = PrefixAttention.Attend(q, k, v, mask, pk, pv, PrefixUse.Concat, AttentionDropout.None);

        // Independent computation of Eq. 7–9 per head: h = softmax(qKᵀ)V, Δh = softmax(qP_kᵀ)P_v, λ = Σe^{qP_kᵀ} / (Σe^{qP_kᵀ} + Σe^{qKᵀ}).
        var scale = 1 / Math.Sqrt(dh);
        var seq = torch.matmul(q, k.transpose(-1, -2)) * scale + mask;
        var pre = torch.matmul(q, pk.unsqueeze(0).transpose(-1, -2)) * scale;
        var hOut = torch.matmul(torch.softmax(seq, -1), v);
        var delta = torch.matmul(torch.softmax(pre, -1), pv.unsqueeze(0));
        var ePre = torch.exp(pre).sum(-1, keepdim: true); var eSeq = torch.exp(seq).sum(-1, keepdim: true);
        var lambda = ePre / (ePre + eSeq);
        var gated = (1 - lambda) * hOut + lambda * delta;
        Assert.True(TinyModels.MaxDiff(concat, gated) <= Tolerance);
        Assert.True(TinyModels.MaxDiff(PrefixAttention.Attend(q, k, v, mask, pk, pv, PrefixUse.Gated, AttentionDropout.None), gated) <= Tolerance);
        Assert.True(TinyModels.MaxDiff(PrefixAttention.Attend(q, k, v, mask, pk, pv, PrefixUse.Add, AttentionDropout.None), hOut + delta) <= Tolerance);
        Assert.True(TinyModels.MaxDiff(PrefixAttention.Attend(q, k, v, mask, pk, pv, PrefixUse.ReluAdd, AttentionDropout.None),
            hOut + torch.matmul(torch.nn.functional.relu(pre), pv.unsqueeze(0))) <= Tolerance);
    }

    [Fact]
    public void ConcatAndExplicitGatePrefixModelsAgree()
    {
        using var concat = TinyModels.Classifier("prefix[l=6,gate=concat]");
        using var explicitGate = TinyModels.Classifier("prefix[l=6,gate=explicit]");
        Assert.True(TinyModels.MaxDiff(TinyModels.Hidden(concat), TinyModels.Hidden(explicitGate)) <= Tolerance);
        using var nogate = TinyModels.Classifier("prefix-nogate[l=6]");
        Assert.True(TinyModels.MaxDiff(TinyModels.Hidden(concat), TinyModels.Hidden(nogate)) > 1e-4);
    }

    [Theory]
    [InlineData("prefix[l=3]", PrefixUse.Concat)]
    [InlineData("prefix[l=3,gate=explicit]", PrefixUse.Gated)]
    [InlineData("prefix-nogate[l=3]", PrefixUse.Add)]
    [InlineData("mh-pa[r=3]", PrefixUse.ReluAdd)]
    public void OptionsMapTheDesignDimensionsToAPrefixUse(string spec, PrefixUse expected)
    {
        var options = PrefixOptions.From(Framework.PeftConfig.Parse(spec).Modifications.Single());
        Assert.Equal(expected, options.Use);
        Assert.Equal(3, options.Length);
    }

    [Fact]
    public void OneEncoderServesEveryLayerWithItsOwnSlice()
    {
        using var model = TinyModels.Classifier("prefix[l=5,mid=7]");
        var names = model.Adapters!.NamedPeftParameters().ToDictionary(p => p.Name, p => p.Parameter);
        Assert.Equal(
            ["wte.weight", "control_trans_0.weight", "control_trans_0.bias", "control_trans_2.weight", "control_trans_2.bias"],
            names.Keys.Select(n => n["base_model.model.prefix_encoder.".Length..]));
        Assert.Equal(new long[] { 2L * TinyModels.Shape.NumLayers * TinyModels.Shape.HiddenSize, 7 }, names["base_model.model.prefix_encoder.control_trans_2.weight"].shape);
        Assert.Equal(TinyModels.Shape.NumLayers, model.Adapters.Sites.Count());
    }
}
