using PeftGrid.Peft.Framework;
using Xunit;

namespace PeftGrid.Peft.Spec.Tests.Specs;

public class MethodSpecTests
{
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
}
