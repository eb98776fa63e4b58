namespace PeftGrid.Tasks.Text;

/// <summary>The layout arithmetic shared by the <see cref="ISeq2SeqTokenizer"/> implementations.</summary>
internal static class Seq2SeqLayout
{
    /// <summary><c>prefix + body + suffix</c>, the body cut to its first <c>maxLength − |prefix| − |suffix|</c> ids.</summary>
    /// <exception cref="ArgumentException"><paramref name="maxLength"/> leaves no room for one body token.</exception>
    public static int[] Frame(ReadOnlySpan<int> prefix, IReadOnlyList<int> body, ReadOnlySpan<int> suffix, int maxLength, int minMaxLength)
    {
        CheckMaxLength(maxLength, minMaxLength);
        var n = Math.Min(body.Count, maxLength - prefix.Length - suffix.Length);
        var ids = new int[prefix.Length + n + suffix.Length];
        prefix.CopyTo(ids);
        for (var i = 0; i < n; i++) ids[prefix.Length + i] = body[i];
        suffix.CopyTo(ids.AsSpan(prefix.Length + n));
        return ids;
    }

    /// <summary>Throws unless <paramref name="maxLength"/> ≥ <paramref name="minMaxLength"/>.</summary>
    public static void CheckMaxLength(int maxLength, int minMaxLength)
    {
        if (maxLength < minMaxLength)
        {
            throw new ArgumentException($"maxLength must be at least {minMaxLength} tokens (special tokens + 1) (got {maxLength})");
        }
    }

    /// <summary>HF <c>shift_tokens_right</c>: <c>[start] + labels[..^1]</c>.</summary>
    public static int[] ShiftRight(IReadOnlyList<int> labels, int start)
    {
        if (labels.Count == 0) throw new ArgumentException("labels must hold at least one id (got an empty sequence)");
        var input = new int[labels.Count];
        input[0] = start;
        for (var i = 1; i < input.Length; i++) input[i] = labels[i - 1];
        return input;
    }

    /// <summary>The ids as a list, each checked to lie in [0, vocabularySize).</summary>
    public static List<int> Checked(IEnumerable<int> ids, int vocabularySize)
    {
        var list = ids.ToList();
        foreach (var id in list)
        {
            if ((uint)id >= (uint)vocabularySize)
            {
                throw new ArgumentException($"token id {id} is outside the vocabulary [0, {vocabularySize})");
            }
        }
        return list;
    }
}
