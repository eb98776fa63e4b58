using PeftGrid.Peft.Seams;
using Xunit;

namespace PeftGrid.Peft.Tests.Seams;

public class SeamSiteTests
{
    private static SeamSite Site(SeamPosition position, string path = "encoder.layer.0.x") =>
        new(SeamStack.Encoder, 0, SeamSubLayer.Attention, AttentionKind.Self, position, path);

    [Theory]
    [InlineData(SeamPosition.InputEmbeddings, typeof(IEmbeddingAdapter))]
    [InlineData(SeamPosition.PrefixKeysValues, typeof(IAttentionAdapter))]
    [InlineData(SeamPosition.Query, typeof(ILinearAdapter))]
    [InlineData(SeamPosition.Key, typeof(ILinearAdapter))]
    [InlineData(SeamPosition.Value, typeof(ILinearAdapter))]
    [InlineData(SeamPosition.AttentionOutput, typeof(ILinearAdapter))]
    [InlineData(SeamPosition.FfnIn, typeof(ILinearAdapter))]
    [InlineData(SeamPosition.FfnOut, typeof(ILinearAdapter))]
    [InlineData(SeamPosition.PreOutput, typeof(IHiddenStateAdapter))]
    [InlineData(SeamPosition.PostOutput, typeof(IHiddenStateAdapter))]
    [InlineData(SeamPosition.Output, typeof(IHiddenStateAdapter))]
    [InlineData(SeamPosition.AfterNorm, typeof(IHiddenStateAdapter))]
    public void EveryPositionHasOneContract(SeamPosition position, Type contract)
    {
        Assert.Equal(contract, Site(position).Contract);
        Assert.Equal(contract == typeof(ILinearAdapter), Site(position).IsProjection);
    }

    [Fact]
    public void SitesAreValuesDistinguishedByEveryField()
    {
        Assert.Equal(Site(SeamPosition.Output), Site(SeamPosition.Output));
        Assert.NotEqual(Site(SeamPosition.Output), Site(SeamPosition.AfterNorm));
        Assert.NotEqual(Site(SeamPosition.Query), Site(SeamPosition.Query) with { Attention = AttentionKind.Cross });
        Assert.NotEqual(Site(SeamPosition.Query), Site(SeamPosition.Query) with { Stack = SeamStack.Decoder });
        Assert.Equal("encoder.layer.0.attention.self.query:Query", Site(SeamPosition.Query, "encoder.layer.0.attention.self.query").ToString());
    }
}
