using PeftGrid.Models.Loading;
using TorchSharp;
using TorchSharp.PyBridge;
using Xunit;
using static TorchSharp.torch;

namespace PeftGrid.Models.Tests;

public class HfCheckpointTests
{
    [Fact]
    public void LoadsTinyBertByHfKeyNames()
    {
        using var encoder = HfCheckpoint.Load(TestPaths.TinyBert);
        Assert.Equal(32, encoder.Shape.HiddenSize);
        Assert.Equal(2, encoder.Shape.NumLayers);
        var state = Safetensors.LoadStateDict(Path.Combine(TestPaths.TinyBert, "model.safetensors"));
        var loaded = encoder.PretrainedParameters().ToDictionary(p => p.Name, p => p.Parameter);
        Assert.Equal(encoder.Shape.TotalParameters, loaded.Values.Sum(p => p.numel()));
        var q = state["encoder.layer.1.attention.self.query.weight"];
        Assert.True(q.equal(loaded["encoder.layer.1.attention.self.query.weight"]).all().item<bool>());
        using var ids = torch.tensor(new long[] { 2, 17, 40, 3 }, 1, 4);
        using var zeros = torch.zeros_like(ids);
        using var ones = torch.ones_like(ids);
        encoder.eval();
        using var h = encoder.forward(ids, zeros, ones);
        Assert.Equal(new long[] { 1, 4, 32 }, h.shape);
        Assert.True(torch.isfinite(h).all().item<bool>());
    }

    [Fact]
    public void MissingTensorIsAClearErrorNamingIt()
    {
        var dir = CopyWith(state => state.Remove("encoder.layer.1.output.dense.weight"));
        var e = Assert.Throws<InvalidDataException>(() => HfCheckpoint.Load(dir));
        Assert.Contains("missing keys: encoder.layer.1.output.dense.weight", e.Message);
    }

    [Fact]
    public void UnknownAndMisShapedTensorsAreListed()
    {
        var dir = CopyWith(state =>
        {
            state["encoder.layer.0.attention.self.extra.weight"] = torch.zeros(2, 2);
            state["embeddings.LayerNorm.weight"] = torch.zeros(31);
        });
        var e = Assert.Throws<InvalidDataException>(() => HfCheckpoint.Load(dir));
        Assert.Contains("unknown keys: encoder.layer.0.attention.self.extra.weight", e.Message);
        Assert.Contains("mis-shaped keys: embeddings.LayerNorm.weight (expected [32], found [31])", e.Message);
    }

    [Fact]
    public void MissingFilesAreClearErrors()
    {
        var dir = Directory.CreateTempSubdirectory("peftgrid-ckpt-").FullName;
        Assert.Throws<FileNotFoundException>(() => HfCheckpoint.Load(dir));
        File.Copy(Path.Combine(TestPaths.TinyBert, "config.json"), Path.Combine(dir, "config.json"));
        var e = Assert.Throws<FileNotFoundException>(() => HfCheckpoint.Load(dir));
        Assert.Contains("model.safetensors", e.Message);
        Assert.Throws<DirectoryNotFoundException>(() => HfCheckpoint.Load(Path.Combine(dir, "nope")));
    }

    private static string CopyWith(Action<Dictionary<string, Tensor>> edit)
    {
        var dir = Directory.CreateTempSubdirectory("peftgrid-ckpt-").FullName;
        File.Copy(Path.Combine(TestPaths.TinyBert, "config.json"), Path.Combine(dir, "config.json"));
        var state = Safetensors.LoadStateDict(Path.Combine(TestPaths.TinyBert, "model.safetensors"));
        edit(state);
        Safetensors.SaveStateDict(Path.Combine(dir, "model.safetensors"), state);
        return dir;
    }
}
