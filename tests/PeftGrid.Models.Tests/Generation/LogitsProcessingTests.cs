using PeftGrid.Models.Generation;
using Xunit;
using static TorchSharp.torch;

namespace PeftGrid.Models.Tests.Generation;

public class LogitsProcessingTests
{
    [Fact]
    public void Banned_ngram_tokens_follow_earlier_occurrences_of_the_current_prefix()
    {
        // ids 5 7 5 8 5 : bigrams (5,7) (7,5) (5,8) (8,5); current 1-gram (5) → 7 and 8 banned.
        Assert.Equal([7L, 8L], LogitsProcessing.BannedTokens([5, 7, 5, 8, 5], 2).Order());
        // trigram size: current 2-gram (8,5) never seen before → nothing banned; (7,5) seen → 8.
        Assert.Empty(LogitsProcessing.BannedTokens([5, 7, 5, 8, 5], 3));
        Assert.Equal([8L], LogitsProcessing.BannedTokens([7, 5, 8, 7, 5], 3));
        // HF: nothing banned while cur_len + 1 < n.
        Assert.Empty(LogitsProcessing.BannedTokens([4], 3));
    }

    [Fact]
    public void Processors_mask_like_hf()
    {
        var o = new GenerationOptions { MinLength = 3, MaxLength = 4, NoRepeatNgramSize = 2, ForcedEosTokenId = 1 };
        using var scores = arange(0, 8, dtype: ScalarType.Float32).repeat(2, 1);   // [2, 8]
        LogitsProcessing.Apply(scores, [[3, 4, 3], [3, 5, 6]], o, eos: 2, forcedBos: 6);
        // cur_len 3 = max_length - 1 → forced EOS 1 wins over everything.
        Assert.Equal([float.NegativeInfinity, 0, float.NegativeInfinity, float.NegativeInfinity, float.NegativeInfinity, float.NegativeInfinity, float.NegativeInfinity, float.NegativeInfinity],
            scores[0].data<float>().ToArray());

        using var s2 = arange(0, 8, dtype: ScalarType.Float32).repeat(2, 1);
        LogitsProcessing.Apply(s2, [[3, 4], [3, 5]], o with { MaxLength = 10 }, eos: 2, forcedBos: 6);
        // cur_len 2 < min 3 → EOS (2) banned; row 0 last token 4 has no earlier bigram; nothing else changes.
        Assert.Equal([0f, 1, float.NegativeInfinity, 3, 4, 5, 6, 7], s2[0].data<float>().ToArray());

        using var s3 = arange(0, 8, dtype: ScalarType.Float32).repeat(1, 1);
        LogitsProcessing.Apply(s3, [[3]], o with { MaxLength = 10, MinLength = 0 }, eos: 2, forcedBos: 6);
        Assert.Equal(0f, s3[0, 6].item<float>());
        Assert.Equal(1, s3.isfinite().sum().item<long>());
    }

    [Fact]
    public void Beam_hypotheses_keep_the_best_and_stop_like_hf()
    {
        var h = new BeamHypotheses(2, lengthPenalty: 1.0, earlyStopping: false);
        h.Add([1, 2], -2.0);        // score -1
        h.Add([1, 2, 3], -6.0);     // score -2
        Assert.False(h.IsDone(-2.5, 2));      // -1.25 > worst -2: a running beam could still win
        h.Add([1, 2, 3, 4], -4.0);  // score -1 → replaces the -2 one
        Assert.Equal([-1.0, -1.0], h.Beams.Select(b => b.Score));
        Assert.True(h.IsDone(-3.0, 2));       // -1.5 ≤ worst -1
        Assert.True(new BeamHypotheses(1, 1.0, earlyStopping: true) is var e && Add(e) && e.IsDone(0, 1));
    }

    private static bool Add(BeamHypotheses h)
    {
        h.Add([1], -1);
        return true;
    }
}
