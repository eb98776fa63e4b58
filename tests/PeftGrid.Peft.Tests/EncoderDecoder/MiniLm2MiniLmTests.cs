using PeftGrid.Models.Bert2Bert;
using PeftGrid.Models.Seq2Seq;
using PeftGrid.Peft.Adapters;
using PeftGrid.Peft.Budget;
using PeftGrid.Peft.Framework;
using PeftGrid.Peft.Seams;
using TorchSharp;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;

namespace PeftGrid.Peft.Tests.EncoderDecoder;

/// <summary>minilm2minilm with pretrained weights, loaded once per test class: eval mode, dropout 0, new parts seeded.</summary>
public sealed class MiniLm2MiniLmFixture : IDisposable
{
    private readonly Models.Tests.Bert2Bert.MiniLm2MiniLmFixture loaded = new();

    public MiniLm2MiniLm Model => loaded.Model;

    /// <summary>An adapter set of <paramref name="spec"/> for the model (or for <paramref name="backbone"/>), seeded, eval mode.</summary>
    public AdapterSet Set(string spec, int seed = 11, IPeftBackbone? backbone = null)
    {
        torch.manual_seed(seed);
        var set = AdapterSet.Create(backbone ?? Model, PeftConfig.Parse(spec));
        set.eval();
        return set;
    }

    /// <summary>Teacher-forced logits [2, 5, V] on <see cref="Batch"/> with <paramref name="set"/> (null: the base model).</summary>
    public Tensor Logits(AdapterSet? set)
    {
        var (ids, mask, dec) = Batch();
        using var _ = torch.no_grad();
        using var memory = Model.Encode(ids, mask, set);
        return Model.Decode(dec, memory, set);
    }

    /// <summary>Two sources of length 9 (row 1 right-padded from position 6) and decoder inputs [2, 5] starting with [CLS].</summary>
    public static (Tensor Ids, Tensor Mask, Tensor Decoder) Batch() => Models.Tests.Bert2Bert.MiniLm2MiniLmFixture.Batch();

    public static double MaxDiff(Tensor a, Tensor b) => Models.Tests.Bert2Bert.MiniLm2MiniLmFixture.MaxDiff(a, b);

    public void Dispose() => loaded.Dispose();
}

/// <summary>The backbone seen through one attention type's prefix sites only: a set built on it attaches prefixes there alone.</summary>
public sealed class OneAttentionType(IPeftBackbone inner, SeamStack stack, AttentionKind kind) : IPeftBackbone
{
    public ModelShape Shape => inner.Shape;
    public IReadOnlyList<SeamSite> Sites { get; } =
        inner.Sites.Where(s => s.Stack == stack && s.Attention == kind && s.Position == SeamPosition.PrefixKeysValues).ToList();
    public SeamLinear Projection(SeamSite site) => inner.Projection(site);
    public IEnumerable<(string Name, Parameter Parameter)> PretrainedParameters() => inner.PretrainedParameters();
}

public class MiniLm2MiniLmTests(MiniLm2MiniLmFixture fixture) : IClassFixture<MiniLm2MiniLmFixture>
{
    [Fact]
    public void SitesCoverTheEncoderTheDecoderAndCrossAttention()
    {
        var sites = fixture.Model.Sites;
        Assert.Equal(1 + 6 * (7 + 4) + 6 * (7 + 7 + 4), sites.Count);
        Assert.Equal(sites.Count, sites.Distinct().Count());
        Assert.Single(sites, s => s.Position == SeamPosition.InputEmbeddings);
        Assert.Equal("encoder.embeddings", sites[0].KeyPath);
        Assert.Equal(18, sites.Count(s => s.Position == SeamPosition.PrefixKeysValues));
        Assert.Contains(sites, s => s.KeyPath == "decoder.bert.encoder.layer.3.crossattention.self.value" && s.Attention == AttentionKind.Cross);
        Assert.Contains(sites, s => s.KeyPath == "encoder.encoder.layer.0.attention.output" && s.Position == SeamPosition.PostOutput);
        Assert.Contains(sites, s => s.KeyPath == "decoder.bert.encoder.layer.5.output" && s.Position == SeamPosition.AfterNorm);
        foreach (var site in sites.Where(s => s.IsProjection))
        {
            var key = fixture.Model.Projection(site).Weight;
            Assert.Same(key, fixture.Model.named_parameters().Single(p => p.name == site.KeyPath + ".weight").parameter);
        }
    }

    [Fact]
    public void PrefixTuningBuildsThreeIndependentEncoders()
    {
        using var set = fixture.Set("prefix[l=4,mid=8]");
        var encoders = set.NamedPeftParameters().Select(p => p.Name).Where(n => n.EndsWith(".wte.weight")).ToList();
        Assert.Equal(
            ["base_model.model.prefix_encoder.encoder_self.wte.weight", "base_model.model.prefix_encoder.decoder_self.wte.weight",
             "base_model.model.prefix_encoder.decoder_cross.wte.weight"], encoders);
        Assert.Equal(18, set.Sites.Count());
    }

    [Fact]
    public void PromptPositionsStayInTheEncoderMemory()
    {
        using var set = fixture.Set("prompt[l=3]");
        var (ids, mask, _) = MiniLm2MiniLmFixture.Batch();
        using var _ = torch.no_grad();
        using var memory = fixture.Model.Encode(ids, mask, set);
        Assert.Equal(new long[] { 2, 12, 384 }, memory.Hidden.shape);
        Assert.Equal(new float[] { 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0 }, memory.Mask[1].data<float>().ToArray());
    }
}
