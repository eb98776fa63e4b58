using PeftGrid.Peft.Budget;
using TorchSharp;
using Xunit;

namespace PeftGrid.Peft.Tests.EncoderDecoder;

public class BartIdentityAtInitTests
{
    public static TheoryData<ModelLayout, string> Identity => Cross(["lora-attn", "lora-ffn", "scaled-pa", "scaled-pa[s=learned]", "full", "bitfit"]);
    public static TheoryData<ModelLayout, string> BertInit => Cross(["sa-attn", "sa-ffn", "houlsby", "pfeiffer", "pa-attn", "pa-ffn", "pa-attn+pa-ffn"]);
    public static TheoryData<ModelLayout, string> PrefixLike => Cross(["prefix", "prefix-nogate", "mh-pa", "prompt", "mam", "prefix+lora-ffn"]);

    [Theory]
    [MemberData(nameof(Identity))]
    public void PresetsWhoseInitMakesDeltaHZeroLeaveTheLogitsUnchanged(ModelLayout layout, string spec)
    {
        using var baseModel = TinyBart.Model(layout, null);
        using var wrapped = TinyBart.Model(layout, spec);
        Assert.True(TinyBart.MaxDiff(TinyBart.Logits(baseModel), TinyBart.Logits(wrapped)) == 0.0, $"{layout} {spec}");
    }

    // BERT-init adapters (N(0, 0.02) W_up) change the logits; zeroing every up_proj restores them exactly.
    [Theory]
    [MemberData(nameof(BertInit))]
    public void BertInitAdaptersDifferOnlyThroughTheirUpProjection(ModelLayout layout, string spec)
    {
        using var baseModel = TinyBart.Model(layout, null);
        using var wrapped = TinyBart.Model(layout, spec);
        var before = TinyBart.Logits(baseModel);
        Assert.True(TinyBart.MaxDiff(before, TinyBart.Logits(wrapped)) > 1e-5, $"{layout} {spec}: BERT-init Δh should change the logits");
        var ups = wrapped.Adapters!.NamedPeftParameters().Where(p => p.Name.Contains("up_proj")).ToList();
        Assert.NotEmpty(ups);
        using (torch.no_grad())
        {
            foreach (var (_, p, _) in ups) { p.zero_(); }
        }
        Assert.True(TinyBart.MaxDiff(before, TinyBart.Logits(wrapped)) == 0.0, $"{layout} {spec}");
    }

    [Theory]
    [MemberData(nameof(PrefixLike))]
    public void PrefixLikePresetsChangeTheLogitsAtInit(ModelLayout layout, string spec)
    {
        using var baseModel = TinyBart.Model(layout, null);
        using var wrapped = TinyBart.Model(layout, spec);
        Assert.True(TinyBart.MaxDiff(TinyBart.Logits(baseModel), TinyBart.Logits(wrapped)) > 1e-4, $"{layout} {spec}");
    }

    // Every attention adapter sits in all three attention types, every FFN adapter in both FFNs.
    [Theory]
    [InlineData("sa-attn", 6, "model.decoder.layers.1.encoder_attn.out_proj.adapter")]
    [InlineData("pa-attn", 6, "model.decoder.layers.0.encoder_attn.adapter")]
    [InlineData("pa-ffn", 4, "model.decoder.layers.1.adapter")]
    [InlineData("pfeiffer", 4, "model.encoder.layers.0.adapter_after_norm")]
    [InlineData("lora-attn", 12, "model.decoder.layers.1.encoder_attn.v_proj")]
    [InlineData("lora-ffn", 8, "model.decoder.layers.0.fc2")]
    public void AdaptersAttachInEveryAttentionTypeAndFfn(string spec, int sites, string oneName)
    {
        using var model = TinyBart.Model(ModelLayout.MBart, spec);
        Assert.Equal(sites, model.Adapters!.Sites.Count());
        Assert.Contains(model.Adapters.NamedPeftParameters(), p => p.Name.StartsWith("base_model.model." + oneName + "."));
    }

    private static TheoryData<ModelLayout, string> Cross(string[] specs)
    {
        var data = new TheoryData<ModelLayout, string>();
        foreach (var layout in new[] { ModelLayout.Bart, ModelLayout.MBart })
        {
            foreach (var spec in specs) { data.Add(layout, spec); }
        }
        return data;
    }
}
