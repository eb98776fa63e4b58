using TorchSharp;
using Xunit;

namespace PeftGrid.Peft.Tests.Adapters;

public class IdentityAtInitTests
{
    [Theory]
    [InlineData("lora-attn")]
    [InlineData("lora-ffn")]
    [InlineData("scaled-pa")]
    [InlineData("scaled-pa[s=learned]")]
    [InlineData("full")]
    [InlineData("bitfit")]
    public void PresetsWhoseInitMakesDeltaHZeroLeaveTheOutputUnchanged(string spec)
    {
        using var baseModel = TinyModels.Classifier(null);
        using var wrapped = TinyModels.Classifier(spec);
        Assert.True(TinyModels.MaxDiff(TinyModels.Hidden(baseModel), TinyModels.Hidden(wrapped)) == 0.0, spec);
    }

    // BERT-init adapters (N(0, 0.02) W_up, PAPER.md §1.7) are not zero at init: the output differs, and zeroing W_up restores it.
    [Theory]
    [InlineData("sa-attn")]
    [InlineData("sa-ffn")]
    [InlineData("houlsby")]
    [InlineData("pfeiffer")]
    [InlineData("pa-attn")]
    [InlineData("pa-ffn")]
    [InlineData("pa-attn+pa-ffn")]
    public void BertInitAdaptersDifferOnlyThroughTheirUpProjection(string spec)
    {
        using var baseModel = TinyModels.Classifier(null);
        using var wrapped = TinyModels.Classifier(spec);
        var before = TinyModels.Hidden(baseModel);
        Assert.True(TinyModels.MaxDiff(before, TinyModels.Hidden(wrapped)) > 1e-4, $"{spec}: BERT-init Δh should change the output");
        using (torch.no_grad())
        {
            foreach (var (name, p, _) in wrapped.Adapters!.NamedPeftParameters().Where(p => p.Name.Contains("up_proj")))
            {
                p.zero_();
            }
        }
        Assert.True(TinyModels.MaxDiff(before, TinyModels.Hidden(wrapped)) == 0.0, spec);
    }

    // Prefixes (and prompts) always take attention mass at init: softmax over [P_k; K] is not softmax over K.
    [Theory]
    [InlineData("prefix")]
    [InlineData("prefix-nogate")]
    [InlineData("mh-pa")]
    [InlineData("prompt")]
    [InlineData("mam")]
    public void PrefixLikePresetsChangeTheOutputAtInit(string spec)
    {
        using var baseModel = TinyModels.Classifier(null);
        using var wrapped = TinyModels.Classifier(spec);
        Assert.True(TinyModels.MaxDiff(TinyModels.Hidden(baseModel), TinyModels.Hidden(wrapped)) > 1e-4, spec);
    }
}
