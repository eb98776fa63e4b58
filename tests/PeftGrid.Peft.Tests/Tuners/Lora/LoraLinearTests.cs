using PeftGrid.Peft.Adapters;
using PeftGrid.Peft.Framework;
using PeftGrid.Peft.Seams;
using PeftGrid.Peft.Tuners.Lora;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace PeftGrid.Peft.Tests.Tuners.Lora;

public class LoraLinearTests
{
    private const double Tolerance = 1e-5;

    private static void RandomizeB(AdapterSet set)
    {
        using (torch.no_grad())
        {
            foreach (var (_, p, _) in set.NamedPeftParameters().Where(p => p.Name.Contains("lora_B")))
            {
                p.normal_(0, 0.5);
            }
        }
    }

    [Fact]
    public void MergedLoraEqualsUnmerged()
    {
        using var model = TinyModels.Classifier("lora-attn[r=4]|lora-ffn[r=3]");
        RandomizeB(model.Adapters!);
        var unmerged = TinyModels.Hidden(model);
        model.MergeAdapters();
        var merged = TinyModels.Hidden(model);
        model.UnmergeAdapters();
        var again = TinyModels.Hidden(model);
        Assert.True(TinyModels.MaxDiff(unmerged, merged) <= Tolerance);
        Assert.True(TinyModels.MaxDiff(unmerged, again) <= Tolerance);
        using var plain = TinyModels.Classifier(null);
        Assert.True(TinyModels.MaxDiff(TinyModels.Hidden(plain), merged) > 1e-3, "trained LoRA must change the output");
    }

    [Fact]
    public void MergingNeverWritesTheBackboneSoUnmergeIsExactAndTheWeightIsUntouched()
    {
        using var model = TinyModels.Classifier("lora-attn[r=4]");
        RandomizeB(model.Adapters!);
        var site = model.Encoder.Sites.First(s => s.Position == SeamPosition.Query);
        var before = model.Encoder.Projection(site).Weight.detach().clone();
        var unmerged = TinyModels.Hidden(model);
        model.MergeAdapters();
        Assert.True(model.Adapters!.At<IMergeable>(site)!.IsMerged);
        Assert.True(model.Encoder.Projection(site).Weight.equal(before).all().item<bool>(), "merge must not write W");
        model.UnmergeAdapters();
        Assert.False(model.Adapters!.At<IMergeable>(site)!.IsMerged);
        Assert.True(TinyModels.MaxDiff(unmerged, TinyModels.Hidden(model)) == 0.0);
    }

    [Fact]
    public void AMergedSetRefusesAnotherBackbone()
    {
        using var mine = TinyModels.Encoder();
        using var other = TinyModels.Encoder();
        torch.manual_seed(8);
        using var set = AdapterSet.Create(mine, PeftConfig.Parse("lora-attn[r=2]"));
        set.Merge(mine);
        var e = Assert.Throws<InvalidOperationException>(() => TinyModels.Hidden(other, set));
        Assert.Contains("merged against another weight", e.Message);
        set.Unmerge();
        Assert.True(TinyModels.MaxDiff(TinyModels.Hidden(other, set), TinyModels.Hidden(mine, set)) == 0.0);
    }

    [Fact]
    public void LoraParametersUsePeftNames()
    {
        using var model = TinyModels.Classifier("lora-attn[r=2]");
        var names = model.TrainableParameters().Select(p => p.Name).ToList();
        Assert.Contains("base_model.model.encoder.layer.0.attention.self.query.lora_A.weight", names);
        Assert.Contains("base_model.model.encoder.layer.1.attention.self.value.lora_B.weight", names);
        Assert.Contains("classifier.out_proj.weight", names);
        Assert.Equal(2 * 2 * 2 + 4, names.Count);
    }

    [Fact]
    public void TheUpdateIsScaledByAlphaOverR()
    {
        torch.manual_seed(3);
        using var lora = new LoraLinear("lora", 8, 6, new LoraOptions(Rank: 2, Alpha: 6, Dropout: 0));
        lora.eval();
        Assert.Equal(3.0, lora.Scale);
        using (torch.no_grad())
        {
            foreach (var p in lora.parameters()) { p.normal_(0, 0.5); }
        }
        var named = lora.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        Assert.Equal(["lora_A.weight", "lora_B.weight"], named.Keys);
        var (a, bUp) = (named["lora_A.weight"], named["lora_B.weight"]);   // [r, in], [out, r]
        var x = torch.randn(4, 8);
        var w = torch.randn(6, 8);
        var b = torch.randn(6);
        var expected = torch.nn.functional.linear(x, w, b) + 3.0 * torch.matmul(torch.matmul(x, a.t()), bUp.t());
        Assert.True(TinyModels.MaxDiff(lora.Forward(x, w, b), expected) <= Tolerance);
    }

    [Fact]
    public void OptionsComeFromTheModification()
    {
        var m = PeftConfig.Parse("lora-ffn[r=8,alpha=32]").Modifications.Single();
        Assert.Equal(new LoraOptions(8, 32, 0.1), LoraOptions.From(m));
        Assert.Equal(4.0, LoraOptions.From(m).Scale);
        var e = Assert.Throws<ArgumentException>(() => LoraOptions.From(m with { LoraAlpha = null }));
        Assert.Contains("lora-ffn: a low-rank modification needs a LoRA alpha", e.Message);
    }
}
