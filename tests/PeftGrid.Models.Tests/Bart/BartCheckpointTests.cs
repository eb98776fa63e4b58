using PeftGrid.Models.Bart;
using PeftGrid.Models.Loading;
using PeftGrid.Peft.Budget;
using TorchSharp;
using Xunit;

namespace PeftGrid.Models.Tests.Bart;

public class BartCheckpointTests
{
    [Theory]
    [InlineData(ModelLayout.Bart)]
    [InlineData(ModelLayout.MBart)]
    public void TinyModelWrittenWithHfKeysLoadsAndRunsExactlyLikeItsSource(ModelLayout layout)
    {
        using var source = TinyBartFiles.Model(layout);
        using var loaded = BartCheckpoint.Load(TinyBartFiles.Write(source));
        loaded.eval();
        Assert.Equal(layout == ModelLayout.MBart ? "mbart" : "bart", loaded.Config.ModelType);
        Assert.Equal(source.Shape, loaded.Shape with { Name = source.Shape.Name });
        var expected = TinyBartFiles.Logits(source);
        var actual = TinyBartFiles.Logits(loaded);
        Assert.Equal(new long[] { 2, 4, 100 }, actual.shape);
        Assert.True(torch.isfinite(actual).all().item<bool>());
        Assert.True(actual.equal(expected).all().item<bool>(), $"{layout}: loaded logits differ from the source's");
        Assert.True(loaded.LogitsBias.equal(source.LogitsBias).all().item<bool>());
    }

    [Fact]
    public void KeysWithoutTheModelPrefixAndWithoutTiedCopiesLoad()
    {
        using var source = TinyBartFiles.Model(ModelLayout.Bart);
        var dir = TinyBartFiles.Write(source, state =>
        {
            foreach (var key in state.Keys.ToList())
            {
                var value = state[key];
                state.Remove(key);
                if (key is "lm_head.weight" || key.EndsWith("embed_tokens.weight")) { continue; }
                state[key.StartsWith("model.") ? key["model.".Length..] : key] = value;
            }
        });
        using var loaded = BartCheckpoint.Load(dir);
        loaded.eval();
        var diff = (TinyBartFiles.Logits(loaded) - TinyBartFiles.Logits(source)).abs().max().item<float>();
        Assert.True(diff == 0, $"max diff {diff}");
    }

    [Fact]
    public void MissingTensorFailsNamingIt()
    {
        using var source = TinyBartFiles.Model(ModelLayout.MBart);
        var dir = TinyBartFiles.Write(source, s => s.Remove("model.decoder.layers.1.encoder_attn.k_proj.bias"));
        var e = Assert.Throws<InvalidDataException>(() => BartCheckpoint.Load(dir));
        Assert.Contains("missing keys: model.decoder.layers.1.encoder_attn.k_proj.bias", e.Message);
    }

    [Fact]
    public void ExtraTensorFailsNamingIt()
    {
        using var source = TinyBartFiles.Model(ModelLayout.Bart);
        var dir = TinyBartFiles.Write(source, s => s["model.decoder.layers.0.encoder_attn.extra.weight"] = torch.zeros(2, 2));
        var e = Assert.Throws<InvalidDataException>(() => BartCheckpoint.Load(dir));
        Assert.Contains("unknown keys: model.decoder.layers.0.encoder_attn.extra.weight", e.Message);
    }

    [Fact]
    public void MisShapedTensorFailsNamingIt()
    {
        using var source = TinyBartFiles.Model(ModelLayout.Bart);
        var dir = TinyBartFiles.Write(source, s => s["model.encoder.layers.0.fc1.weight"] = torch.zeros(64, 32));
        var e = Assert.Throws<InvalidDataException>(() => BartCheckpoint.Load(dir));
        Assert.Contains("mis-shaped keys: model.encoder.layers.0.fc1.weight (expected [128,32], found [64,32])", e.Message);
    }

    [Fact]
    public void MisShapedTiedCopyOrLogitsBiasFailsNamingIt()
    {
        using var source = TinyBartFiles.Model(ModelLayout.Bart);
        var e = Assert.Throws<InvalidDataException>(() => BartCheckpoint.Load(TinyBartFiles.Write(source, s => s["lm_head.weight"] = torch.zeros(99, 32))));
        Assert.Contains("mis-shaped keys: lm_head.weight (expected [100,32], found [99,32])", e.Message);
        e = Assert.Throws<InvalidDataException>(() => BartCheckpoint.Load(TinyBartFiles.Write(source, s => s["final_logits_bias"] = torch.zeros(100))));
        Assert.Contains("mis-shaped keys: final_logits_bias (expected [1,100], found [100])", e.Message);
    }

    [Fact]
    public void BertFolderIsAClearError()
    {
        var e = Assert.Throws<InvalidDataException>(() => BartCheckpoint.Load(TestPaths.TinyBert));
        Assert.Contains("model_type 'bert' is not an encoder-decoder; allowed: bart, mbart", e.Message);
        Assert.DoesNotContain("\n", e.Message);
    }

    [Fact]
    public void MissingFolderAndWeightsAreClearErrors()
    {
        var dir = Directory.CreateTempSubdirectory("peftgrid-bart-").FullName;
        Assert.Throws<DirectoryNotFoundException>(() => BartCheckpoint.Load(Path.Combine(dir, "nope")));
        Assert.Throws<FileNotFoundException>(() => BartCheckpoint.Load(dir));
        File.WriteAllText(Path.Combine(dir, "config.json"), new BartConfig(TinyBartFiles.Shape(ModelLayout.Bart)).ToHfJson());
        Assert.Contains("model.safetensors", Assert.Throws<FileNotFoundException>(() => BartCheckpoint.Load(dir)).Message);
    }
}
