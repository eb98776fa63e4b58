using PeftGrid.Peft.Budget;
using PeftGrid.Peft.Catalog;
using PeftGrid.Peft.Framework;
using PeftGrid.Peft.Specs;
using Xunit;

namespace PeftGrid.Peft.Tests;

public class SpecTests
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

    [Theory]
    [InlineData("nope", "unknown method preset 'nope'; allowed: full, bitfit, prompt")]
    [InlineData("lora-attn[q=3]", "lora-attn: unknown key 'q'; allowed keys: r, alpha")]
    [InlineData("full[r=3]", "full: unknown key 'r'; full takes no keys")]
    [InlineData("pa-ffn[r=0]", "pa-ffn: r=0 must be a positive integer (≥ 1)")]
    [InlineData("prefix[l=-4]", "prefix: l=-4 must be a positive integer (≥ 1)")]
    [InlineData("pa-ffn[r=2.5]", "pa-ffn: r='2.5' is not an integer")]
    [InlineData("scaled-pa[s=big]", "scaled-pa: s='big' must be a positive number or 'learned'")]
    [InlineData("prefix[gate=soft]", "prefix: gate='soft' is not allowed; allowed: concat, explicit")]
    [InlineData("prefix|mh-pa", "mh-pa and prefix both modify the site 'attention.heads'")]
    [InlineData("lora-attn[r=4,r=5]", "lora-attn: key 'r' given twice")]
    public void BadSpecsAreArgumentErrorsNamingTheField(string spec, string expected)
    {
        var e = Assert.Throws<ArgumentException>(() => PeftConfig.Parse(spec));
        Assert.Contains(expected, e.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("mam[l=16")]
    [InlineData("mam]l=16[")]
    [InlineData("lora-attn[r]")]
    [InlineData("lora-attn|")]
    [InlineData("lora-attn[r=4]x")]
    [InlineData("prefix[[l=3]]")]
    public void MalformedSpecsAreFormatErrors(string spec)
    {
        Assert.Throws<FormatException>(() => PeftConfig.Parse(spec));
    }

    [Fact]
    public void RLargerThanDIsAnError()
    {
        var e = Assert.Throws<ArgumentException>(() => PeftConfig.Parse("pa-ffn[r=600]").ValidateFor(ModelCatalog.MiniLM.Shape));
        Assert.Contains("r=600 is larger than the model's hidden size d=384", e.Message);
        PeftConfig.Parse("pa-ffn[r=384]").ValidateFor(ModelCatalog.MiniLM.Shape);
    }
}
