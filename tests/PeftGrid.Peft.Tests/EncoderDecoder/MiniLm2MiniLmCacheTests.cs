using PeftGrid.Models.Seq2Seq;
using TorchSharp;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace PeftGrid.Peft.Tests.EncoderDecoder;

public class MiniLm2MiniLmCacheTests(MiniLm2MiniLmFixture fixture, ITestOutputHelper output) : IClassFixture<MiniLm2MiniLmFixture>
{
    private const double Tolerance = 1e-5;

    // Step-by-step decoding with a KvCache equals the full teacher-forced decode; self keys/values grow by one position per step,
    // cross keys/values keep the memory length, and prefixes (l = 7) are never written into the cache.
    [Theory]
    [InlineData(null)]
    [InlineData("prefix[l=7]")]
    [InlineData("mam[l=7,r=16]")]
    [InlineData("prompt[l=4]")]
    [InlineData("lora-attn[r=4]")]
    public void StepByStepWithTheCacheEqualsTheFullDecode(string? spec)
    {
        using var set = spec is null ? null : fixture.Set(spec);
        var (ids, mask, dec) = MiniLm2MiniLmFixture.Batch();
        using var _ = torch.no_grad();
        using var memory = fixture.Model.Encode(ids, mask, set);
        using var full = fixture.Model.Decode(dec, memory, set);
        using var cache = new KvCache(fixture.Model.DecoderLayers);
        var steps = new List<Tensor>();
        for (var t = 0; t < dec.shape[1]; t++)
        {
            Assert.Equal(t, cache.Length);
            steps.Add(fixture.Model.Decode(dec[.., t..(t + 1)], memory, set, cache));
            Assert.Equal(t + 1, cache.Length);
            for (var i = 0; i < fixture.Model.DecoderLayers; i++)
            {
                Assert.Equal(new long[] { 2, 12, t + 1, 32 }, cache[i].SelfKeys!.shape);
                Assert.Equal(new long[] { 2, 12, memory.Hidden.shape[1], 32 }, cache[i].CrossValues!.shape);
            }
        }
        using var stepwise = torch.cat(steps, 1);
        var diff = MiniLm2MiniLmFixture.MaxDiff(full, stepwise);
        output.WriteLine($"{spec ?? "base"}: max |full − cached| = {diff:E3}");
        Assert.True(diff <= Tolerance, $"{spec}: {diff:E3}");
        Assert.Equal(full.argmax(-1).data<long>().ToArray(), stepwise.argmax(-1).data<long>().ToArray());
    }

    [Fact]
    public void ChunkedDecodingContinuesThePositions()
    {
        var (ids, mask, dec) = MiniLm2MiniLmFixture.Batch();
        using var _ = torch.no_grad();
        using var memory = fixture.Model.Encode(ids, mask, null);
        using var full = fixture.Model.Decode(dec, memory, null);
        using var cache = new KvCache(fixture.Model.DecoderLayers);
        using var first = fixture.Model.Decode(dec[.., ..2], memory, null, cache);
        using var rest = fixture.Model.Decode(dec[.., 2..], memory, null, cache);
        Assert.Equal(5, cache.Length);
        Assert.True(MiniLm2MiniLmFixture.MaxDiff(full, torch.cat([first, rest], 1)) <= Tolerance);
    }

    // Row 1 of the batch is right-padded from position 6: alone (unpadded) it must give the same logits.
    [Theory]
    [InlineData(null)]
    [InlineData("prefix[l=7]")]
    [InlineData("prompt[l=4]")]
    [InlineData("houlsby[r=8]")]
    public void AnInputAloneEqualsTheSameInputInAPaddedBatch(string? spec)
    {
        using var set = spec is null ? null : fixture.Set(spec);
        var (ids, mask, dec) = MiniLm2MiniLmFixture.Batch();
        using var _ = torch.no_grad();
        using var memory = fixture.Model.Encode(ids, mask, set);
        using var batched = fixture.Model.Decode(dec, memory, set);
        using var aloneMemory = fixture.Model.Encode(ids[1..2, ..6], mask[1..2, ..6], set);
        using var alone = fixture.Model.Decode(dec[1..2], aloneMemory, set);
        var diff = MiniLm2MiniLmFixture.MaxDiff(batched[1..2], alone);
        output.WriteLine($"{spec ?? "base"}: max |alone − batched| = {diff:E3}");
        Assert.True(diff <= Tolerance, $"{spec}: {diff:E3}");
    }
}
