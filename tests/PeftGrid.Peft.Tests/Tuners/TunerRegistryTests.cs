using PeftGrid.Peft.Framework;
using PeftGrid.Peft.Seams;
using PeftGrid.Peft.Specs;
using PeftGrid.Peft.Tuners;
using PeftGrid.Peft.Tuners.Bottleneck;
using PeftGrid.Peft.Tuners.Lora;
using PeftGrid.Peft.Tuners.Prefix;
using PeftGrid.Peft.Tuners.Prompt;
using Xunit;

namespace PeftGrid.Peft.Tests.Tuners;

public class TunerRegistryTests
{
    private static Modification Only(string spec) => PeftConfig.Parse(spec).Modifications.Single();

    [Fact]
    public void EveryPresetModificationHasATuner()
    {
        var mods = Presets.List.SelectMany(p => PeftConfig.Parse(p.Name).Modifications).ToList();
        Assert.Equal(
            ["BottleneckTuner", "LoraTuner", "PrefixTuner", "PromptTuner"],
            mods.Select(m => TunerRegistry.For(m).GetType().Name).Distinct().Order());
        Assert.Equal(8, TunerRegistry.Entries.Count);
    }

    [Fact]
    public void AnUnregisteredCombinationIsAClearError()
    {
        var m = Only("pa-ffn[r=2]") with { Form = FunctionalForm.LowRank };
        var e = Assert.Throws<ArgumentException>(() => TunerRegistry.For(m));
        Assert.Contains("pa-ffn: no tuner for representation 'Ffn' with form 'LowRank'; allowed: Attention/ReluBottleneck", e.Message);
    }

    [Theory]
    [InlineData("lora-attn[r=2]", "encoder.layer.0.attention.self.query:Query,encoder.layer.0.attention.self.value:Value,encoder.layer.1.attention.self.query:Query,encoder.layer.1.attention.self.value:Value")]
    [InlineData("lora-ffn[r=2]", "encoder.layer.0.intermediate.dense:FfnIn,encoder.layer.0.output.dense:FfnOut,encoder.layer.1.intermediate.dense:FfnIn,encoder.layer.1.output.dense:FfnOut")]
    [InlineData("pa-attn[r=2]", "encoder.layer.0.attention.self:PreOutput,encoder.layer.1.attention.self:PreOutput")]
    [InlineData("sa-attn[r=2]", "encoder.layer.0.attention.output:PostOutput,encoder.layer.1.attention.output:PostOutput")]
    [InlineData("scaled-pa[r=2]", "encoder.layer.0.output:Output,encoder.layer.1.output:Output")]
    [InlineData("pfeiffer[r=2]", "encoder.layer.0.output:AfterNorm,encoder.layer.1.output:AfterNorm")]
    [InlineData("prefix[l=2]", "encoder.layer.0.attention.self:PrefixKeysValues,encoder.layer.1.attention.self:PrefixKeysValues")]
    [InlineData("mh-pa[r=2]", "encoder.layer.0.attention.self:PrefixKeysValues,encoder.layer.1.attention.self:PrefixKeysValues")]
    [InlineData("prompt[l=2]", "embeddings:InputEmbeddings")]
    public void EachTunerTargetsItsSitesOnBert(string spec, string expected)
    {
        using var encoder = TinyModels.Encoder();
        var m = Only(spec);
        Assert.Equal(expected, string.Join(",", TunerRegistry.For(m).Targets(encoder.Sites, m)));
    }

    // An encoder-decoder enumerates more sites; the tuners attach to them without any change.
    [Fact]
    public void DecoderAndCrossAttentionSitesAreTargetedLikeEncoderOnes()
    {
        static SeamSite S(SeamStack stack, AttentionKind kind, SeamPosition position) =>
            new(stack, 0, SeamSubLayer.Attention, kind, position, $"{stack}.{kind}.{position}".ToLowerInvariant());
        List<SeamSite> sites =
        [
            new(SeamStack.Encoder, 0, SeamSubLayer.Embeddings, AttentionKind.None, SeamPosition.InputEmbeddings, "encoder.embed_tokens"),
            S(SeamStack.Encoder, AttentionKind.Self, SeamPosition.PrefixKeysValues), S(SeamStack.Encoder, AttentionKind.Self, SeamPosition.Query),
            new(SeamStack.Decoder, 0, SeamSubLayer.Embeddings, AttentionKind.None, SeamPosition.InputEmbeddings, "decoder.embed_tokens"),
            S(SeamStack.Decoder, AttentionKind.Self, SeamPosition.PrefixKeysValues), S(SeamStack.Decoder, AttentionKind.Self, SeamPosition.Query),
            S(SeamStack.Decoder, AttentionKind.Cross, SeamPosition.PrefixKeysValues), S(SeamStack.Decoder, AttentionKind.Cross, SeamPosition.Query),
        ];
        Assert.Equal(3, PrefixTuner.Instance.Targets(sites, Only("prefix[l=2]")).Count);
        Assert.Equal(3, LoraTuner.Instance.Targets(sites, Only("lora-attn[r=2]")).Count);
        Assert.Equal("encoder.embed_tokens", PromptTuner.Instance.Targets(sites, Only("prompt[l=2]")).Single().KeyPath);
    }

    [Fact]
    public void ABackboneWithoutTheSiteIsAClearError()
    {
        var m = Only("pfeiffer[r=2]");
        var e = Assert.Throws<ArgumentException>(() => BottleneckTuner.Instance.Targets([], m));
        Assert.Contains("pfeiffer: the backbone has no AfterNorm site to attach to", e.Message);
    }
}
