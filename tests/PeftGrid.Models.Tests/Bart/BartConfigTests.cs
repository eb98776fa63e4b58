using System.Text.Json.Nodes;
using PeftGrid.Models.Bart;
using PeftGrid.Peft.Budget;
using PeftGrid.Peft.Catalog;
using Xunit;

namespace PeftGrid.Models.Tests.Bart;

public class BartConfigTests
{
    [Theory]
    [InlineData("bart-base", 139_420_416L)]
    [InlineData("bart-large", 406_291_456L)]
    [InlineData("mbart-large-cc25", 610_851_840L)]
    public void CatalogShapesAreTheCatalogsWithTheirTotals(string name, long total)
    {
        var entry = ModelCatalog.Find(name);
        var config = BartConfig.For(entry);
        Assert.Equal(entry.Shape, config.Shape);
        Assert.Equal(total, config.Shape.TotalParameters);
        Assert.Equal(1024, config.MaxPositionEmbeddings);
        Assert.Equal(entry.Architecture == "mbart", config.ScaleEmbedding);
        Assert.Equal(entry.Architecture == "mbart" ? null : 0, config.ForcedBosTokenId);
    }

    [Fact]
    public void AnEncoderCatalogEntryIsRefused() =>
        Assert.Contains("allowed: bart, mbart", Assert.Throws<ArgumentException>(() => BartConfig.For(ModelCatalog.MiniLM)).Message);

    [Theory]
    [InlineData(ModelLayout.Bart)]
    [InlineData(ModelLayout.MBart)]
    public void HfJsonRoundTrips(ModelLayout layout)
    {
        var config = new BartConfig(TinyBartFiles.Shape(layout)) { Dropout = 0.2, AttentionDropout = 0.05 };
        var back = BartConfig.FromHfJson(Write(JsonNode.Parse(config.ToHfJson())!));
        Assert.Equal(config.Shape with { Name = back.Shape.Name }, back.Shape);
        Assert.Equal(66, back.Shape.MaxPositions);
        Assert.Equal(0, back.Shape.TypeVocabSize);
        Assert.Equal(config.Tokens, back.Tokens);
        Assert.Equal((0.2, 0.05, layout == ModelLayout.MBart), (back.Dropout, back.AttentionDropout, back.ScaleEmbedding));
    }

    [Theory]
    [InlineData("model_type", "\"t5\"", "model_type 't5' is not an encoder-decoder; allowed: bart, mbart")]
    [InlineData("decoder_attention_heads", "8", "encoder_attention_heads 4 differs from decoder_attention_heads 8")]
    [InlineData("decoder_ffn_dim", "64", "encoder_ffn_dim 128 differs from decoder_ffn_dim 64")]
    [InlineData("activation_function", "\"relu\"", "activation_function 'relu' is not supported; allowed: gelu")]
    [InlineData("normalize_before", "true", "normalize_before true contradicts model_type 'bart'")]
    [InlineData("d_model", "null", "required field 'd_model' is missing")]
    public void BadConfigsAreOneLineErrorsNamingTheField(string field, string value, string message)
    {
        var json = JsonNode.Parse(new BartConfig(TinyBartFiles.Shape(ModelLayout.Bart)).ToHfJson())!;
        json[field] = JsonNode.Parse(value);
        var e = Assert.Throws<InvalidDataException>(() => BartConfig.FromHfJson(Write(json)));
        Assert.Contains(message, e.Message);
        Assert.DoesNotContain("\n", e.Message);
    }

    [Theory]
    [InlineData(ModelLayout.Bart, 0)]
    [InlineData(ModelLayout.MBart, null)]
    public void BackboneTokensAndLimitsComeFromTheConfig(ModelLayout layout, int? forcedBos)
    {
        using var model = TinyBartFiles.Model(layout);
        Assert.Equal(new PeftGrid.Models.Seq2Seq.Seq2SeqTokens(1, 2, 2, forcedBos), model.Tokens);
        Assert.Equal((64, 2), (model.MaxTargetPositions, model.DecoderLayers));
        Assert.Empty(model.NewParameters());
        Assert.Equal(layout == ModelLayout.MBart ? Math.Sqrt(32) : 1.0, model.Config.EmbedScale);
        Assert.Equal(new long[] { 1, 100 }, model.LogitsBias.shape);
        Assert.DoesNotContain(model.named_parameters(), p => p.name == "final_logits_bias");
        Assert.Contains(model.named_buffers(), b => b.name == "final_logits_bias");
    }

    [Fact]
    public void PositionsBeyondTheTableAreAClearError()
    {
        using var model = TinyBartFiles.Model(ModelLayout.Bart);
        var ids = TorchSharp.torch.ones(1, 65, dtype: TorchSharp.torch.ScalarType.Int64);
        var e = Assert.Throws<ArgumentException>(() => model.Encode(ids, TorchSharp.torch.ones_like(ids), null));
        Assert.Contains("encoder sequence length 65 exceeds max_position_embeddings 64", e.Message);
    }

    [Fact]
    public void ModelTypeOfAFolderIsReadWithoutLoading()
    {
        Assert.Equal("bert", BartConfig.ReadModelType(TestPaths.TinyBert));
        Assert.Equal("mbart", BartConfig.ReadModelType(Write(JsonNode.Parse(new BartConfig(TinyBartFiles.Shape(ModelLayout.MBart)).ToHfJson())!)));
    }

    [Fact]
    public void NonBartLayoutIsRefused() =>
        Assert.Throws<ArgumentException>(() => new BartConfig(ModelCatalog.MiniLM.Shape));

    private static string Write(JsonNode json)
    {
        var dir = Directory.CreateTempSubdirectory("peftgrid-bartcfg-").FullName;
        File.WriteAllText(Path.Combine(dir, "config.json"), json.ToJsonString());
        return dir;
    }
}
