using PeftGrid.Models.Bert;
using PeftGrid.Peft.Budget;
using PeftGrid.Peft.Seams;
using Xunit;

namespace PeftGrid.Models.Tests.Bert;

public class BertSitesTests
{
    private static readonly ModelShape Tiny = new("tiny", 32, 3, 4, 128, 100, 64, 2);

    [Fact]
    public void TheEncoderEnumeratesItsSitesInForwardOrder()
    {
        using var encoder = new BertEncoder(new EncoderConfig(Tiny));
        var sites = encoder.Sites;
        Assert.Equal(1 + 11 * 3, sites.Count);
        Assert.Equal(sites.Count, sites.Distinct().Count());
        Assert.Equal("embeddings:InputEmbeddings", sites[0].ToString());
        Assert.Equal(
        [
            "encoder.layer.2.attention.self:PrefixKeysValues", "encoder.layer.2.attention.self.query:Query",
            "encoder.layer.2.attention.self.key:Key", "encoder.layer.2.attention.self.value:Value",
            "encoder.layer.2.attention.self:PreOutput", "encoder.layer.2.attention.output.dense:AttentionOutput",
            "encoder.layer.2.attention.output:PostOutput", "encoder.layer.2.intermediate.dense:FfnIn",
            "encoder.layer.2.output.dense:FfnOut", "encoder.layer.2.output:Output", "encoder.layer.2.output:AfterNorm",
        ], sites.Where(s => s.Layer == 2 && s.SubLayer != SeamSubLayer.Embeddings).Select(s => s.ToString()));
        Assert.All(sites.Where(s => s.SubLayer == SeamSubLayer.Attention), s => Assert.Equal(AttentionKind.Self, s.Attention));
        Assert.All(sites.Where(s => s.SubLayer != SeamSubLayer.Attention), s => Assert.Equal(AttentionKind.None, s.Attention));
        Assert.All(sites, s => Assert.Equal(SeamStack.Encoder, s.Stack));
    }

    [Fact]
    public void KeyPathsAreHfCheckpointPathsAndProjectionSitesHoldTheirWeights()
    {
        using var encoder = new BertEncoder(new EncoderConfig(Tiny));
        var names = encoder.PretrainedParameters().ToDictionary(p => p.Name, p => p.Parameter);
        foreach (var site in encoder.Sites)
        {
            Assert.Contains(names.Keys, n => n.StartsWith(site.KeyPath + ".", StringComparison.Ordinal));
            if (site.IsProjection)
            {
                var linear = encoder.Projection(site);
                Assert.Same(names[site.KeyPath + ".weight"], linear.Weight);
            }
        }
        Assert.Equal(6 * 3, encoder.Sites.Count(s => s.IsProjection));
        var e = Assert.Throws<ArgumentException>(() => encoder.Projection(encoder.Sites[0]));
        Assert.Contains("embeddings:InputEmbeddings is not a projection site", e.Message);
    }
}
