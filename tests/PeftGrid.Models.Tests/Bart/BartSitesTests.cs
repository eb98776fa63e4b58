using PeftGrid.Models.Bart;
using PeftGrid.Peft.Budget;
using PeftGrid.Peft.Seams;
using Xunit;

namespace PeftGrid.Models.Tests.Bart;

public class BartSitesTests
{
    [Theory]
    [InlineData(ModelLayout.Bart)]
    [InlineData(ModelLayout.MBart)]
    public void ExactSiteCountsPerStackKindAndPosition(ModelLayout layout)
    {
        using var model = TinyBartFiles.Model(layout);
        var sites = model.Sites;
        Assert.Equal(1 + 2 * 11 + 2 * 18, sites.Count);
        Assert.Equal(sites.Count, sites.Distinct().Count());
        var counts = sites.GroupBy(s => (s.Stack, s.Attention, s.Position)).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(1, counts[(SeamStack.Encoder, AttentionKind.None, SeamPosition.InputEmbeddings)]);
        foreach (var position in new[] { SeamPosition.PrefixKeysValues, SeamPosition.Query, SeamPosition.Key, SeamPosition.Value,
                     SeamPosition.PreOutput, SeamPosition.AttentionOutput, SeamPosition.PostOutput })
        {
            Assert.Equal(2, counts[(SeamStack.Encoder, AttentionKind.Self, position)]);
            Assert.Equal(2, counts[(SeamStack.Decoder, AttentionKind.Self, position)]);
            Assert.Equal(2, counts[(SeamStack.Decoder, AttentionKind.Cross, position)]);
        }
        foreach (var position in new[] { SeamPosition.FfnIn, SeamPosition.FfnOut, SeamPosition.Output, SeamPosition.AfterNorm })
        {
            Assert.Equal(2, counts[(SeamStack.Encoder, AttentionKind.None, position)]);
            Assert.Equal(2, counts[(SeamStack.Decoder, AttentionKind.None, position)]);
        }
        Assert.Equal(1 + 3 * 7 + 2 * 4, counts.Count);
        Assert.Equal(0, counts.Keys.Count(k => k.Stack == SeamStack.Encoder && k.Attention == AttentionKind.Cross));
    }

    [Fact]
    public void SitesAreInForwardOrderWithHfModulePaths()
    {
        using var model = TinyBartFiles.Model(ModelLayout.Bart);
        var paths = model.Sites.Select(s => s.ToString()).ToList();
        Assert.Equal("model.encoder:InputEmbeddings", paths[0]);
        Assert.Equal("model.encoder.layers.0.self_attn:PrefixKeysValues", paths[1]);
        Assert.Equal("model.encoder.layers.0.self_attn.q_proj:Query", paths[2]);
        Assert.Equal("model.encoder.layers.0.self_attn.out_proj:PostOutput", paths[7]);
        Assert.Equal("model.encoder.layers.0.fc1:FfnIn", paths[8]);
        Assert.Equal("model.encoder.layers.0:AfterNorm", paths[11]);
        Assert.Equal("model.decoder.layers.0.self_attn:PrefixKeysValues", paths[23]);
        Assert.Equal("model.decoder.layers.0.encoder_attn:PrefixKeysValues", paths[30]);
        Assert.Equal("model.decoder.layers.0.encoder_attn.k_proj:Key", paths[32]);
        Assert.Equal("model.decoder.layers.0.fc2:FfnOut", paths[38]);
        Assert.Equal("model.decoder.layers.1:AfterNorm", paths[^1]);
        var order = model.Sites.Skip(1).Select(s => (s.Stack, s.Layer)).ToList();
        Assert.Equal(order.OrderBy(o => o.Stack).ThenBy(o => o.Layer), order);
    }

    [Theory]
    [InlineData(ModelLayout.Bart)]
    [InlineData(ModelLayout.MBart)]
    public void EveryKeyPathIsAModuleAndEveryProjectionSiteHoldsItsHfWeight(ModelLayout layout)
    {
        using var model = TinyBartFiles.Model(layout);
        var modules = model.named_modules().Select(m => m.name).ToHashSet();
        var parameters = model.PretrainedParameters().ToDictionary(p => p.Name, p => p.Parameter);
        foreach (var site in model.Sites)
        {
            Assert.True(modules.Contains(site.KeyPath), $"{site}: '{site.KeyPath}' is not a module path");
            if (site.IsProjection)
            {
                Assert.Same(parameters[site.KeyPath + ".weight"], model.Projection(site).Weight);
                Assert.True(parameters.ContainsKey(site.KeyPath + ".bias"), site.ToString());
            }
            else
            {
                Assert.Throws<ArgumentException>(() => model.Projection(site));
            }
        }
    }

    [Theory]
    [InlineData(ModelLayout.Bart)]
    [InlineData(ModelLayout.MBart)]
    public void ParametersAreTheHfKeysWithTheSharedEmbeddingOnce(ModelLayout layout)
    {
        using var model = TinyBartFiles.Model(layout);
        var names = model.PretrainedParameters().Select(p => p.Name).ToList();
        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.Equal(model.Shape.TotalParameters, model.PretrainedParameters().Sum(p => p.Parameter.numel()));
        Assert.Contains("model.shared.weight", names);
        Assert.Contains("model.encoder.embed_positions.weight", names);
        Assert.Contains("model.decoder.layernorm_embedding.bias", names);
        Assert.Contains("model.decoder.layers.1.encoder_attn_layer_norm.weight", names);
        Assert.Contains("model.encoder.layers.0.final_layer_norm.bias", names);
        Assert.Equal(layout == ModelLayout.MBart, names.Contains("model.encoder.layer_norm.weight"));
        Assert.Equal(layout == ModelLayout.MBart, names.Contains("model.decoder.layer_norm.bias"));
        Assert.DoesNotContain(names, n => n.Contains("embed_tokens") || n.StartsWith("lm_head") || n.Contains("final_logits_bias"));
        Assert.Equal(new long[] { 66, 32 }, model.PretrainedParameters().First(p => p.Name == "model.decoder.embed_positions.weight").Parameter.shape);
        Assert.Equal(model.Shape.BiasParameters, model.PretrainedParameters().Where(p => p.Name.EndsWith("bias")).Sum(p => p.Parameter.numel()));
    }
}
