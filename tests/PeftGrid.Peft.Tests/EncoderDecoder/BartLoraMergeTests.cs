using PeftGrid.Peft.Budget;
using TorchSharp;
using Xunit;

namespace PeftGrid.Peft.Tests.EncoderDecoder;

public class BartLoraMergeTests
{
    [Theory]
    [InlineData(ModelLayout.Bart, "lora-attn[r=4]")]
    [InlineData(ModelLayout.MBart, "lora-attn[r=4]")]
    [InlineData(ModelLayout.Bart, "lora-ffn[r=4]")]
    [InlineData(ModelLayout.MBart, "prefix+lora-ffn[l=3,r=4]")]
    public void MergedEqualsUnmerged(ModelLayout layout, string spec)
    {
        using var model = TinyBart.Model(layout, spec);
        using (torch.no_grad())
        {
            foreach (var (_, p, _) in model.Adapters!.NamedPeftParameters().Where(p => p.Name.Contains("lora_B")))
            {
                p.copy_(torch.randn_like(p) * 0.2);
            }
        }
        var baseline = TinyBart.Logits(TinyBart.Model(layout, null));
        var unmerged = TinyBart.Logits(model);
        Assert.True(TinyBart.MaxDiff(baseline, unmerged) > 1e-3, "a non-zero B must change the logits");
        model.MergeAdapters();
        var merged = TinyBart.Logits(model);
        model.UnmergeAdapters();
        Assert.True(TinyBart.MaxDiff(unmerged, merged) < 1e-5, $"{spec}: merged differs by {TinyBart.MaxDiff(unmerged, merged)}");
        Assert.True(TinyBart.MaxDiff(unmerged, TinyBart.Logits(model)) == 0, "unmerge restores the unmerged forward");
    }
}
