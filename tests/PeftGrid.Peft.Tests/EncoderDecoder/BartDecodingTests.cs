using PeftGrid.Models.Seq2Seq;
using PeftGrid.Peft.Budget;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace PeftGrid.Peft.Tests.EncoderDecoder;

public class BartDecodingTests
{
    // Position by position with a KvCache equals the full teacher-forced decode (1e-5); prefixes are re-concatenated, never cached.
    [Theory]
    [InlineData(ModelLayout.Bart, null)]
    [InlineData(ModelLayout.MBart, null)]
    [InlineData(ModelLayout.Bart, "prefix[l=3,mid=16]")]
    [InlineData(ModelLayout.MBart, "prefix[l=3,mid=16]")]
    [InlineData(ModelLayout.MBart, "mam[l=3,r=8,mid=16]")]
    [InlineData(ModelLayout.Bart, "prompt[l=4]")]
    [InlineData(ModelLayout.Bart, "pa-attn+pa-ffn[attn_r=4,ffn_r=8]")]
    public void CachedStepByStepDecodeEqualsTheFullDecode(ModelLayout layout, string? spec)
    {
        using var model = TinyBart.Model(layout, spec);
        var (ids, mask, dec) = TinyBart.Batch();
        using var _ = torch.no_grad();
        using var memory = model.Encode(ids, mask);
        var full = model.Decode(dec, memory);
        using var cache = new KvCache(model.Backbone.DecoderLayers);
        var steps = new List<Tensor>();
        for (var t = 0; t < dec.shape[1]; t++)
        {
            Assert.Equal(t, cache.Length);
            steps.Add(model.Decode(dec[.., t..(t + 1)], memory, cache));
            Assert.Equal(t + 1, cache.Length);
            Assert.Equal(t + 1, cache[1].SelfKeys!.shape[2]);
            Assert.Equal(memory.Hidden.shape[1], cache[1].CrossKeys!.shape[2]);
        }
        var stepwise = torch.cat(steps.ToArray(), 1);
        Assert.True(TinyBart.MaxDiff(full, stepwise) < 1e-5, $"{layout} {spec}: cached decode differs by {TinyBart.MaxDiff(full, stepwise)}");
        Assert.Equal(full.argmax(-1).data<long>().ToArray(), stepwise.argmax(-1).data<long>().ToArray());
    }

    [Theory]
    [InlineData(ModelLayout.Bart, null)]
    [InlineData(ModelLayout.MBart, null)]
    [InlineData(ModelLayout.MBart, "prefix[l=3,mid=16]")]
    [InlineData(ModelLayout.Bart, "prompt[l=4]")]
    public void ReorderingTheCacheFollowsTheRows(ModelLayout layout, string? spec)
    {
        using var model = TinyBart.Model(layout, spec);
        var (ids, mask, dec) = TinyBart.Batch();
        using var _ = torch.no_grad();
        using var memory = model.Encode(ids, mask);
        var order = torch.tensor(new long[] { 2, 2, 0, 1 });
        using var beams = memory.Select(order);
        var full = model.Decode(dec.index_select(0, order), beams);
        using var cache = new KvCache(model.Backbone.DecoderLayers);
        model.Decode(dec[.., ..2], memory, cache);
        cache.Reorder(order);
        var rest = model.Decode(dec.index_select(0, order)[.., 2..], beams, cache);
        Assert.True(TinyBart.MaxDiff(full[.., 2.., ..], rest) < 1e-5, $"{layout} {spec}: {TinyBart.MaxDiff(full[.., 2.., ..], rest)}");
    }

    // An input alone equals the same input in a right-padded batch (encoder padding mask; decoder causal only).
    [Theory]
    [InlineData(ModelLayout.Bart, null)]
    [InlineData(ModelLayout.MBart, null)]
    [InlineData(ModelLayout.Bart, "prefix[l=3,mid=16]")]
    [InlineData(ModelLayout.MBart, "prompt[l=4]")]
    [InlineData(ModelLayout.MBart, "mam[l=3,r=8,mid=16]")]
    public void PaddingNeverChangesASequencesLogits(ModelLayout layout, string? spec)
    {
        using var model = TinyBart.Model(layout, spec);
        var (ids, mask, dec) = TinyBart.Batch();   // row 2 has 5 tokens, then padding
        using var _ = torch.no_grad();
        var batch = model.forward(ids, mask, dec);
        var alone = model.forward(ids[2..3, ..5], mask[2..3, ..5], dec[2..3]);
        Assert.True(TinyBart.MaxDiff(batch[2..3], alone) < 1e-5, $"{layout} {spec}: padded row differs by {TinyBart.MaxDiff(batch[2..3], alone)}");
        var first = model.forward(ids[0..1], mask[0..1], dec[0..1]);
        Assert.True(TinyBart.MaxDiff(batch[0..1], first) < 1e-5, $"{layout} {spec}: row 0 differs");
    }
}
