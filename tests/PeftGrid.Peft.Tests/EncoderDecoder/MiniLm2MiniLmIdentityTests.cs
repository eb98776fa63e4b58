using PeftGrid.Peft.Seams;
using TorchSharp;
using Xunit;

namespace PeftGrid.Peft.Tests.EncoderDecoder;

public class MiniLm2MiniLmIdentityTests(MiniLm2MiniLmFixture fixture, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<MiniLm2MiniLmFixture>
{
    [Theory]
    [InlineData("lora-attn")]
    [InlineData("lora-ffn")]
    [InlineData("scaled-pa")]
    [InlineData("full")]
    [InlineData("bitfit")]
    public void PresetsWhoseInitMakesDeltaHZeroLeaveTheLogitsUnchanged(string spec)
    {
        using var set = fixture.Set(spec);
        using var baseLogits = fixture.Logits(null);
        using var logits = fixture.Logits(set);
        Assert.Equal(0.0, MiniLm2MiniLmFixture.MaxDiff(baseLogits, logits));
    }

    [Theory]
    [InlineData("sa-attn")]
    [InlineData("houlsby")]
    [InlineData("pfeiffer")]
    [InlineData("pa-attn")]
    [InlineData("pa-ffn")]
    public void BertInitAdaptersEqualTheBaseAfterZeroingTheirUpProjection(string spec)
    {
        using var set = fixture.Set(spec);
        using var baseLogits = fixture.Logits(null);
        using (var before = fixture.Logits(set))
        {
            Assert.True(MiniLm2MiniLmFixture.MaxDiff(baseLogits, before) > 1e-4, $"{spec}: BERT-init Δh should change the logits");
        }
        using (torch.no_grad())
        {
            foreach (var (_, p, _) in set.NamedPeftParameters().Where(p => p.Name.Contains("up_proj")))
            {
                p.zero_();
            }
        }
        using var after = fixture.Logits(set);
        Assert.Equal(0.0, MiniLm2MiniLmFixture.MaxDiff(baseLogits, after));
    }

    // Each attention type alone: the same seeded prefix by concatenation (Eq. 5) and by the explicit gate (Eq. 7–9).
    [Theory]
    [InlineData(SeamStack.Encoder, AttentionKind.Self)]
    [InlineData(SeamStack.Decoder, AttentionKind.Self)]
    [InlineData(SeamStack.Decoder, AttentionKind.Cross)]
    public void PrefixByConcatenationEqualsTheGatedFormInEachAttentionType(SeamStack stack, AttentionKind kind)
    {
        var only = new OneAttentionType(fixture.Model, stack, kind);
        using var concat = fixture.Set("prefix[l=6,gate=concat]", backbone: only);
        using var gated = fixture.Set("prefix[l=6,gate=explicit]", backbone: only);
        Assert.All(concat.Sites, s => Assert.True(s.Stack == stack && s.Attention == kind));
        Assert.Equal(6, concat.Sites.Count());
        using var baseLogits = fixture.Logits(null);
        using var a = fixture.Logits(concat);
        using var b = fixture.Logits(gated);
        Assert.True(MiniLm2MiniLmFixture.MaxDiff(baseLogits, a) > 1e-3, "the prefix must change the logits");
        var diff = MiniLm2MiniLmFixture.MaxDiff(a, b);
        output.WriteLine($"{stack} {kind}: max |concat − gated| = {diff:E3}");
        Assert.True(diff <= 1e-5, $"concat vs gated: {diff:E3}");
    }

    [Theory]
    [InlineData("lora-attn[r=8]")]
    [InlineData("lora-ffn[r=8]")]
    public void LoraMergedEqualsUnmerged(string spec)
    {
        using var set = fixture.Set(spec);
        using (torch.no_grad())
        {
            foreach (var (_, p, _) in set.NamedPeftParameters().Where(p => p.Name.Contains("lora_B")))
            {
                p.normal_(0, 0.05);
            }
        }
        using var baseLogits = fixture.Logits(null);
        using var unmerged = fixture.Logits(set);
        Assert.True(MiniLm2MiniLmFixture.MaxDiff(baseLogits, unmerged) > 1e-3);
        set.Merge(fixture.Model);
        using var merged = fixture.Logits(set);
        set.Unmerge();
        using var again = fixture.Logits(set);
        var diff = MiniLm2MiniLmFixture.MaxDiff(unmerged, merged);
        output.WriteLine($"{spec}: max |merged − unmerged| = {diff:E3}");
        Assert.True(diff <= 1e-4, $"merged vs unmerged: {diff:E3}");
        Assert.Equal(0.0, MiniLm2MiniLmFixture.MaxDiff(unmerged, again));
    }
}
