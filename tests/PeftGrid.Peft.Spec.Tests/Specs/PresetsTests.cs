using PeftGrid.Peft.Catalog;
using PeftGrid.Peft.Budget;
using PeftGrid.Peft.Framework;
using PeftGrid.Peft.Specs;
using Xunit;

namespace PeftGrid.Peft.Spec.Tests.Specs;

public class PresetsTests
{
    public static readonly string[] AllPresets =
    [
        "full", "bitfit", "prompt", "prefix", "prefix-nogate", "lora-attn", "lora-ffn", "sa-attn", "sa-ffn", "houlsby", "pfeiffer",
        "pa-attn", "pa-ffn", "mh-pa", "scaled-pa", "mam", "pa-attn+pa-ffn", "prefix+lora-ffn",
    ];

    [Fact]
    public void ThereAreExactlyTheEighteenPresetsOfTheDesign()
    {
        Assert.Equal(AllPresets, Presets.List.Select(p => p.Name));
    }

    [Fact]
    public void MamParsesIntoPrefixPlusScaledParallelAdapter()
    {
        var c = PeftConfig.Parse("mam[l=16,r=16,s=2]");
        Assert.Equal("mam[l=16,r=16,s=2,mid=800]", c.Spec);
        Assert.Equal(2, c.Modifications.Count);
        var (prefix, pa) = (c.Modifications[0], c.Modifications[1]);
        Assert.Equal((ModifiedRepresentation.HeadAttention, FunctionalForm.PrefixSoftmax, InsertionForm.Parallel, CompositionFunction.GatedInterpolation, 16),
            (prefix.Representation, prefix.Form, prefix.Insertion, prefix.Composition, prefix.Size));
        Assert.Equal((ModifiedRepresentation.Ffn, FunctionalForm.ReluBottleneck, InsertionForm.Parallel, CompositionFunction.ScaledAdd, 16, 2.0, AdapterInit.Lora, false),
            (pa.Representation, pa.Form, pa.Insertion, pa.Composition, pa.Size, pa.Scale, pa.Init, pa.InputLayerNorm));
    }

    [Fact]
    public void UnionOfPartsEqualsTheCombinedPreset()
    {
        var union = PeftConfig.Parse("prefix[l=30]|scaled-pa[r=512,s=4]");
        Assert.Equal("prefix[l=30,mid=800,gate=concat]|scaled-pa[r=512,s=4]", union.Spec);
        Assert.Equal(ParameterBudget.Count(PeftConfig.Parse("mam[l=30,r=512,s=4]"), ModelCatalog.RobertaBase.Shape).PaperCount,
            ParameterBudget.Count(union, ModelCatalog.RobertaBase.Shape).PaperCount);
    }

    [Fact]
    public void LearnedScaleAndLoraAlpha()
    {
        var m = PeftConfig.Parse("scaled-pa[s=learned]").Modifications.Single();
        Assert.True(m.TrainableScale);
        var lora = PeftConfig.Parse("lora-attn[r=8,alpha=32]").Modifications.Single();
        Assert.Equal(4.0, lora.Scale);
    }
}
