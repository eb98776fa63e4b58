using PeftGrid.Peft.Framework;
using PeftGrid.Peft.Specs;
using Xunit;

namespace PeftGrid.Peft.Spec.Tests.Specs;

/// <summary>One configuration, one text: the canonical resolved form of <see cref="MethodSpec.Canonical"/>.</summary>
public class CanonicalFormTests
{
    [Theory]
    [InlineData("mam")]
    [InlineData("MAM")]
    [InlineData(" Mam ")]
    [InlineData("mam[r=16,l=16,s=2]")]
    [InlineData("mam[s=2.0,l=16,r=16,mid=800]")]
    [InlineData("mam[S=2e0, L=016, mid=+800]")]
    [InlineData("mam[l=*,r=*]")]
    public void EverySpellingOfMamHasOneText(string spec)
    {
        Assert.Equal("mam[l=16,r=16,s=2,mid=800]", MethodSpec.Canonical(spec));
    }

    [Theory]
    [InlineData("lora-attn[alpha=32.0]", "lora-attn[r=16,alpha=32]")]
    [InlineData("lora-attn[alpha=0.50]", "lora-attn[r=16,alpha=0.5]")]
    [InlineData("prefix[gate=EXPLICIT]", "prefix[l=16,mid=800,gate=explicit]")]
    [InlineData("scaled-pa[s=Trainable]", "scaled-pa[r=16,s=learned]")]
    [InlineData("scaled-pa[s=LEARNED]", "scaled-pa[r=16,s=learned]")]
    [InlineData("FULL", "full")]
    [InlineData("prefix[l=30] | Scaled-PA[s=4.0,r=512]", "prefix[l=30,mid=800,gate=concat]|scaled-pa[r=512,s=4]")]
    [InlineData("pa-attn+pa-ffn[ffn_r=8]", "pa-attn+pa-ffn[attn_r=16,ffn_r=8]")]
    public void NumbersWordsAndOrderAreNormalized(string spec, string canonical)
    {
        Assert.Equal(canonical, MethodSpec.Canonical(spec));
        Assert.Equal(canonical, MethodSpec.Canonical(canonical));
    }

    [Fact]
    public void DifferentConfigurationsHaveDifferentTexts()
    {
        string[] specs = ["mam", "mam[l=30]", "mam[s=4]", "mam[mid=0]", "prefix|scaled-pa", "lora-attn", "lora-attn[alpha=16]", "scaled-pa[s=learned]", "scaled-pa[s=1]"];
        Assert.Equal(specs.Length, specs.Select(MethodSpec.Canonical).Distinct().Count());
    }

    [Fact]
    public void EveryPresetDefaultIsAlreadyCanonical()
    {
        Assert.All(Presets.List.SelectMany(p => p.Knobs.Select(k => (p.Name, Knob: k))),
            x => Assert.Equal(x.Knob.Default, x.Knob.Canonical(x.Name, x.Knob.Default)));
    }

    [Theory]
    [InlineData("mam", "mam[l=*,r=*,s=2,mid=800]")]
    [InlineData("mam[r=8]", "mam[l=*,r=8,s=2,mid=800]")]
    [InlineData("mam[l=12,r=12]", "mam[l=12,r=12,s=2,mid=800]")]
    [InlineData("lora-attn", "lora-attn[r=*,alpha=32]")]
    [InlineData("pa-attn+pa-ffn[attn_r=*]", "pa-attn+pa-ffn[attn_r=*,ffn_r=*]")]
    [InlineData("bitfit", "bitfit")]
    public void TierSpecMarksTheSizesLeftToTheSolver(string spec, string tierSpec)
    {
        var config = PeftConfig.Parse(spec);
        Assert.Equal(tierSpec, config.TierSpec);
        var again = PeftConfig.Parse(config.TierSpec);   // the worker reads it back: same values, the same sizes free
        Assert.Equal((config.Spec, config.TierSpec), (again.Spec, again.TierSpec));
        static string Free(PeftConfig c) => string.Join(",", c.Parts.SelectMany(p =>
            Presets.Get(p.Preset).Knobs.Where(k => k.IsSize && !p.Explicit.Contains(k.Name)).Select(k => $"{p.Preset}.{k.Name}")));
        Assert.Equal(Free(config), Free(again));
    }

    [Fact]
    public void OnlySizesMayBeLeftToTheSolver()
    {
        var e = Assert.Throws<ArgumentException>(() => PeftConfig.Parse("scaled-pa[s=*]"));
        Assert.Equal("scaled-pa: s='*' is not allowed; only sizes (r) may be left to the budget solver", e.Message);
    }
}
