using PeftGrid.Peft.Framework;
using PeftGrid.Peft.Modules;
using PeftGrid.Peft.Seams;
using PeftGrid.Peft.Specs;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace PeftGrid.Peft.Tests;

public class EquivalenceTests
{
    private const double Tolerance = 1e-5;

    [Theory]
    [InlineData("lora-attn")]
    [InlineData("lora-ffn")]
    [InlineData("scaled-pa")]
    [InlineData("scaled-pa[s=learned]")]
    [InlineData("full")]
    [InlineData("bitfit")]
    public void PresetsWhoseInitMakesDeltaHZeroLeaveTheOutputUnchanged(string spec)
    {
        using var baseModel = TinyModels.Classifier(null);
        using var wrapped = TinyModels.Classifier(spec);
        Assert.True(TinyModels.MaxDiff(TinyModels.Hidden(baseModel), TinyModels.Hidden(wrapped)) == 0.0, spec);
    }

    // BERT-init adapters (N(0, 0.02) W_up, PAPER.md §1.7) are not zero at init: the output differs, and zeroing W_up restores it.
    [Theory]
    [InlineData("sa-attn")]
    [InlineData("sa-ffn")]
    [InlineData("houlsby")]
    [InlineData("pfeiffer")]
    [InlineData("pa-attn")]
    [InlineData("pa-ffn")]
    [InlineData("pa-attn+pa-ffn")]
    public void BertInitAdaptersDifferOnlyThroughTheirUpProjection(string spec)
    {
        using var baseModel = TinyModels.Classifier(null);
        using var wrapped = TinyModels.Classifier(spec);
        var before = TinyModels.Hidden(baseModel);
        Assert.True(TinyModels.MaxDiff(before, TinyModels.Hidden(wrapped)) > 1e-4, $"{spec}: BERT-init Δh should change the output");
        using (torch.no_grad())
        {
            foreach (var (name, p) in wrapped.Peft!.NamedPeftParameters().Where(p => p.Name.Contains("up_proj")))
            {
                p.zero_();
            }
        }
        Assert.True(TinyModels.MaxDiff(before, TinyModels.Hidden(wrapped)) == 0.0, spec);
    }

    // Prefixes (and prompts) always take attention mass at init: softmax over [P_k; K] is not softmax over K.
    [Theory]
    [InlineData("prefix")]
    [InlineData("prefix-nogate")]
    [InlineData("mh-pa")]
    [InlineData("prompt")]
    [InlineData("mam")]
    public void PrefixLikePresetsChangeTheOutputAtInit(string spec)
    {
        using var baseModel = TinyModels.Classifier(null);
        using var wrapped = TinyModels.Classifier(spec);
        Assert.True(TinyModels.MaxDiff(TinyModels.Hidden(baseModel), TinyModels.Hidden(wrapped)) > 1e-4, spec);
    }

    [Fact]
    public void PrefixByConcatenationEqualsTheGatedFormOfEq7To9()
    {
        torch.manual_seed(1);
        var (b, h, t, l, dh) = (2, 3, 5, 4, 8);
        var q = torch.randn(b, h, t, dh); var k = torch.randn(b, h, t, dh); var v = torch.randn(b, h, t, dh);
        var pk = torch.randn(h, l, dh); var pv = torch.randn(h, l, dh);
        var mask = torch.zeros(b, 1, 1, t); mask[1, .., .., 3..] = -1e9f;
        var concat = PrefixAttention.Attend(q, k, v, mask, pk, pv, PrefixUse.Concat, x => x);

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
        Assert.True(TinyModels.MaxDiff(PrefixAttention.Attend(q, k, v, mask, pk, pv, PrefixUse.Gated, x => x), gated) <= Tolerance);
        Assert.True(TinyModels.MaxDiff(PrefixAttention.Attend(q, k, v, mask, pk, pv, PrefixUse.Add, x => x), hOut + delta) <= Tolerance);
        Assert.True(TinyModels.MaxDiff(PrefixAttention.Attend(q, k, v, mask, pk, pv, PrefixUse.ReluAdd, x => x),
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

    [Fact]
    public void MergedLoraEqualsUnmerged()
    {
        using var model = TinyModels.Classifier("lora-attn[r=4]|lora-ffn[r=3]");
        using (torch.no_grad())
        {
            foreach (var (name, p) in model.Peft!.NamedPeftParameters().Where(p => p.Name.Contains("lora_B")))
            {
                p.normal_(0, 0.5);
            }
        }
        var unmerged = TinyModels.Hidden(model);
        model.Peft!.MergeLora();
        var merged = TinyModels.Hidden(model);
        model.Peft!.UnmergeLora();
        var again = TinyModels.Hidden(model);
        Assert.True(TinyModels.MaxDiff(unmerged, merged) <= Tolerance);
        Assert.True(TinyModels.MaxDiff(unmerged, again) <= Tolerance);
        using var plain = TinyModels.Classifier(null);
        Assert.True(TinyModels.MaxDiff(TinyModels.Hidden(plain), merged) > 1e-3, "trained LoRA must change the output");
    }

    [Fact]
    public void SequentialReadsHAndParallelReadsX()
    {
        torch.manual_seed(5);
        var x = torch.randn(2, 3, 16);
        var h = torch.randn(2, 3, 16);
        var seq = new BottleneckAdapter("a", 16, Modifications.Adapter("sa", ModifiedRepresentation.Ffn, InsertionForm.Sequential, 4, layerNorm: false));
        var par = new BottleneckAdapter("a", 16, Modifications.Adapter("pa", ModifiedRepresentation.Ffn, InsertionForm.Parallel, 4, layerNorm: false));
        par.load_state_dict(seq.state_dict());
        seq.eval(); par.eval();
        Assert.True(TinyModels.MaxDiff(seq.Compose(x, h), h + seq.forward(h)) == 0);
        Assert.True(TinyModels.MaxDiff(par.Compose(x, h), h + par.forward(x)) == 0);
        Assert.True(TinyModels.MaxDiff(seq.Compose(x, h), par.Compose(x, h)) > 1e-3);
    }

    [Fact]
    public void ScaledAddMultipliesTheWholeAdapterOutputIncludingTheUpBias()
    {
        torch.manual_seed(6);
        var x = torch.randn(2, 3, 16);
        var h = torch.randn(2, 3, 16);
        var one = new BottleneckAdapter("a", 16, Modifications.ScaledParallel("pa", 4, (1.0, false)));
        var three = new BottleneckAdapter("a", 16, Modifications.ScaledParallel("pa", 4, (3.0, false)));
        using (torch.no_grad())
        {
            foreach (var p in one.parameters()) { p.normal_(0, 0.3); }
        }
        three.load_state_dict(one.state_dict());
        one.eval(); three.eval();
        Assert.True(TinyModels.MaxDiff(three.Compose(x, h) - h, 3 * (one.Compose(x, h) - h)) <= Tolerance);
        Assert.True(TinyModels.MaxDiff(one.Compose(x, h), h) > 1e-3);
    }
}
