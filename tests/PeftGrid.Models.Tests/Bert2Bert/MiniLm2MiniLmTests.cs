using PeftGrid.Models.Bert2Bert;
using PeftGrid.Models.Loading;
using PeftGrid.Peft.Catalog;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace PeftGrid.Models.Tests.Bert2Bert;

public class MiniLm2MiniLmTests(MiniLm2MiniLmFixture fixture) : IClassFixture<MiniLm2MiniLmFixture>
{
    private readonly MiniLm2MiniLm model = fixture.Model;

    private static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && (a == b).all().item<bool>();

    [Fact]
    public void LoadsAndRunsTeacherForced()
    {
        var (ids, mask, dec) = MiniLm2MiniLmFixture.Batch();
        using var _ = torch.no_grad();
        using var memory = model.Encode(ids, mask, null);
        Assert.Equal(new long[] { 2, 9, 384 }, memory.Hidden.shape);
        using var logits = model.Decode(dec, memory, null);
        Assert.Equal(new long[] { 2, 5, 30522 }, logits.shape);
        Assert.Equal(ScalarType.Float32, logits.dtype);
        Assert.True(torch.isfinite(logits).all().item<bool>());
        Assert.True(logits.std().item<float>() > 0.1);
    }

    [Fact]
    public void ParameterCountsMatchTheCatalogShapeExactly()
    {
        var shape = ModelCatalog.MiniLm2MiniLm.Shape;
        Assert.Equal(shape, model.Shape);
        Assert.Equal(45_130_752L, model.PretrainedParameters().Sum(p => p.Parameter.numel()));
        Assert.Equal(shape.TotalParameters, model.PretrainedParameters().Sum(p => p.Parameter.numel()));
        Assert.Equal(3_583_290L, model.NewParameters().Sum(p => p.Parameter.numel()));
        Assert.Equal(shape.NewParameters, model.NewParameters().Sum(p => p.Parameter.numel()));
        Assert.Equal(shape.BiasParameters, model.PretrainedParameters().Where(p => p.Name.EndsWith("bias")).Sum(p => p.Parameter.numel()));
        var names = model.named_parameters().Select(p => p.name).ToHashSet();
        Assert.Contains("encoder.embeddings.word_embeddings.weight", names);
        Assert.Contains("encoder.encoder.layer.5.output.LayerNorm.bias", names);
        Assert.Contains("decoder.bert.embeddings.position_embeddings.weight", names);
        Assert.Contains("decoder.bert.encoder.layer.0.crossattention.self.query.weight", names);
        Assert.Contains("decoder.bert.encoder.layer.5.crossattention.output.LayerNorm.bias", names);
        Assert.Contains("decoder.cls.predictions.bias", names);
        Assert.Equal(6 * 10 + 1, model.NewParameters().Count());
    }

    [Fact]
    public void NewPartsHaveHfBertInit()
    {
        var p = model.NewParameters().ToDictionary(x => x.Name, x => x.Parameter);
        Assert.Equal(0.0, p["decoder.cls.predictions.bias"].abs().max().item<float>());
        Assert.Equal(0.0, p["decoder.bert.encoder.layer.2.crossattention.self.key.bias"].abs().max().item<float>());
        Assert.Equal(1.0, p["decoder.bert.encoder.layer.2.crossattention.output.LayerNorm.weight"].min().item<float>());
        var std = p["decoder.bert.encoder.layer.2.crossattention.output.dense.weight"].std().item<float>();
        Assert.InRange(std, 0.019, 0.021);
    }

    [Fact]
    public void BothCopiesHoldMiniLmsWeights()
    {
        var all = model.PretrainedParameters().ToDictionary(p => p.Name, p => p.Parameter);
        var encoderKeys = all.Keys.Where(k => k.StartsWith("encoder.")).ToList();
        Assert.Equal(all.Count / 2, encoderKeys.Count);
        foreach (var k in encoderKeys)
        {
            Assert.True(Same(all[k], all["decoder.bert." + k["encoder.".Length..]]), k);
        }
    }

    [Fact]
    public void EncoderHalfEqualsMiniLmOnnxExactly()
    {
        using var reference = MiniLmOnnx.Load(dropout: 0.0);
        reference.eval();
        var (ids, mask, _) = MiniLm2MiniLmFixture.Batch();
        using var _ = torch.no_grad();
        using var expected = reference.forward(ids, torch.zeros_like(ids), mask);
        using var memory = model.Encode(ids, mask, null);
        Assert.True(Same(expected, memory.Hidden), $"max diff {MiniLm2MiniLmFixture.MaxDiff(expected, memory.Hidden):E3}");
        Assert.True(Same(memory.Mask.to(ScalarType.Int64), mask));
    }

    [Fact]
    public void TokensAndPositions()
    {
        Assert.Equal(new PeftGrid.Models.Seq2Seq.Seq2SeqTokens(0, 102, 101, null), model.Tokens);
        Assert.Equal(512, model.MaxTargetPositions);
        Assert.Equal(6, model.DecoderLayers);
    }

    [Fact]
    public void DecodingPastThePositionTableFailsClearly()
    {
        var (ids, mask, _) = MiniLm2MiniLmFixture.Batch();
        using var _ = torch.no_grad();
        using var memory = model.Encode(ids, mask, null);
        var ex = Assert.Throws<ArgumentException>(() => model.Decode(torch.ones(1, 513, dtype: ScalarType.Int64), memory, null));
        Assert.Contains("exceeds minilm2minilm's 512 positions", ex.Message);
    }
}
