using static TorchSharp.torch;

namespace PeftGrid.Models.Generation;

/// <summary>
/// HF's logits processors used by <see cref="Seq2SeqGenerator"/>, in HF's order (<c>_get_logits_processor</c>, transformers
/// 4.3–4.26): <c>NoRepeatNGramLogitsProcessor</c>, <c>MinLengthLogitsProcessor</c>, <c>ForcedBOSTokenLogitsProcessor</c>,
/// <c>ForcedEOSTokenLogitsProcessor</c>. Each works in place on scores [N, V] given the decoder ids so far (start token included;
/// cur_len = their length, the same for every row).
/// </summary>
public static class LogitsProcessing
{
    /// <summary>Applies the processors of <paramref name="o"/> to <paramref name="scores"/> [N, V] in place.</summary>
    /// <param name="scores">Raw logits (greedy) or log-probabilities (beam search), float32 [N, V].</param>
    /// <param name="ids">Per row, the decoder ids so far (all of length cur_len).</param>
    /// <param name="o">The options (validated).</param>
    /// <param name="eos">EOS id.</param>
    /// <param name="forcedBos">Forced first token, or null.</param>
    public static void Apply(Tensor scores, IReadOnlyList<long[]> ids, GenerationOptions o, int eos, int? forcedBos)
    {
        var curLen = ids[0].Length;
        if (o.NoRepeatNgramSize > 0) { BanRepeatedNgrams(scores, ids, o.NoRepeatNgramSize); }
        if (curLen < o.MinLength) { scores[.., eos] = float.NegativeInfinity; }
        if (forcedBos is { } bos && curLen == 1) { Force(scores, bos); }
        if (o.ForcedEosTokenId is { } feos && curLen == o.MaxLength - 1) { Force(scores, feos); }
    }

    /// <summary>Every token −∞ except <paramref name="token"/>, which gets 0 (HF's forced BOS/EOS).</summary>
    public static void Force(Tensor scores, int token)
    {
        scores.fill_(float.NegativeInfinity);
        scores[.., token] = 0f;
    }

    /// <summary>The tokens row <paramref name="ids"/> may not produce next under no_repeat_ngram_size <paramref name="n"/>: every
    /// token that followed an earlier occurrence of its last n − 1 tokens (HF <c>_calc_banned_ngram_tokens</c>); none while
    /// cur_len + 1 &lt; n.</summary>
    public static IEnumerable<long> BannedTokens(long[] ids, int n)
    {
        var curLen = ids.Length;
        if (curLen + 1 < n) { yield break; }
        var start = curLen + 1 - n;   // the current (n-1)-gram is ids[start .. curLen)
        for (var i = 0; i + n <= curLen; i++)
        {
            var match = true;
            for (var j = 0; j < n - 1 && match; j++) { match = ids[i + j] == ids[start + j]; }
            if (match) { yield return ids[i + n - 1]; }
        }
    }

    private static void BanRepeatedNgrams(Tensor scores, IReadOnlyList<long[]> ids, int n)
    {
        var rows = new List<long>();
        var cols = new List<long>();
        for (var r = 0; r < ids.Count; r++)
        {
            foreach (var t in BannedTokens(ids[r], n).Distinct())
            {
                rows.Add(r);
                cols.Add(t);
            }
        }
        if (rows.Count == 0) { return; }
        using var ri = tensor(rows.ToArray(), device: scores.device);
        using var ci = tensor(cols.ToArray(), device: scores.device);
        using var value = tensor(float.NegativeInfinity, dtype: scores.dtype, device: scores.device);
        scores.index_put_(value, ri, ci);
    }
}
