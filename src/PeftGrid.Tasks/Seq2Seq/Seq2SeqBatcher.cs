using PeftGrid.Tasks.Text;

namespace PeftGrid.Tasks.Seq2Seq;

/// <summary>How a <see cref="Seq2SeqBatcher"/> forms training batches.</summary>
public enum Seq2SeqBatching
{
    /// <summary>A fixed number of sentences per batch, length-bucketed and reshuffled every epoch (XSum: 64 sentences in the paper).</summary>
    Sentences,
    /// <summary>fairseq <c>batch_by_size</c>: batches bounded by padded tokens, built once, their order reshuffled every epoch
    /// (en-ro: 4096 tokens × 4 accumulation in the paper).</summary>
    Tokens,
}

/// <summary>
/// Batches encoded seq2seq pairs for training (by sentences or by tokens) and for generation (by source length). Every order is
/// a list of example-index arrays holding each index exactly once, deterministic for a given (seed, epoch).
/// <para>By sentences: as <see cref="Batching.LengthBucketedBatcher"/> — a seeded shuffle, a sort by (source, label) length
/// within pools of <see cref="Batching.LengthBucketedBatcher.PoolBatches"/> batches, cut into batches, the batch order shuffled.</para>
/// <para>By tokens (PAPER.md §3.5, the reference's <c>petl/dynamic_batching.py</c> over fairseq <c>batch_by_size</c>): tokens
/// per example = max(source, label) length; examples sorted by source length (longest first, ties by index); a batch grows while
/// its size × its longest example ≤ <see cref="MaxTokens"/>; a full batch of n ≥ m = <see cref="BatchSizeMultiple"/> sentences
/// keeps its first m·⌊n/m⌋ and carries the rest over (fairseq <c>mod_len = max(m·(n // m), n % m)</c>). The batches are built
/// once, so <see cref="BatchesPerEpoch"/> is the same every epoch; each epoch shuffles their order and, as the reference does,
/// moves the batch with the largest size × longest source to the front (memory peaks in the first step).
/// Two deviations from fairseq keep the invariants exact: when the carried-over rest plus the new example would exceed the
/// budget, the rest becomes its own batch (fairseq lets that batch exceed <see cref="MaxTokens"/>); and a last batch of
/// n ≥ m sentences is cut to a multiple of m plus a rest (fairseq yields it whole).</para>
/// </summary>
public sealed class Seq2SeqBatcher
{
    private readonly IReadOnlyList<EncodedPair> _pairs;
    private readonly int[][]? _tokenBatches;

    private Seq2SeqBatcher(IReadOnlyList<EncodedPair> pairs, Seq2SeqBatching mode, int? batchSize, int? maxTokens, int multiple)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        if (pairs.Count == 0) throw new ArgumentException("empty split: nothing to batch", nameof(pairs));
        for (var i = 0; i < pairs.Count; i++)
        {
            if (pairs[i].Source.Length == 0 || pairs[i].Labels.Length == 0)
            {
                throw new ArgumentException($"example {i} has an empty source or empty labels; an encoded pair holds at least one token in each", nameof(pairs));
            }
        }
        _pairs = pairs;
        Mode = mode;
        BatchSize = batchSize;
        MaxTokens = maxTokens;
        BatchSizeMultiple = multiple;
        if (mode == Seq2SeqBatching.Tokens) _tokenBatches = BatchByTokens(maxTokens!.Value, multiple);
    }

    /// <summary>Training batches of <paramref name="batchSize"/> sentences (the last one may be smaller).</summary>
    /// <param name="pairs">The encoded training pairs (at least one).</param>
    /// <param name="batchSize">Sentences per batch, ≥ 1.</param>
    /// <exception cref="ArgumentException">No pairs, an empty source or labels, or a batch size below 1.</exception>
    public static Seq2SeqBatcher BySentences(IReadOnlyList<EncodedPair> pairs, int batchSize)
    {
        if (batchSize < 1) throw new ArgumentException($"batch size must be at least 1 sentence (got {batchSize})", nameof(batchSize));
        return new Seq2SeqBatcher(pairs, Seq2SeqBatching.Sentences, batchSize, null, 1);
    }

    /// <summary>Training batches of at most <paramref name="maxTokens"/> padded tokens (fairseq <c>batch_by_size</c>, see the class notes).</summary>
    /// <param name="pairs">The encoded training pairs (at least one).</param>
    /// <param name="maxTokens">Budget per batch: size × max(longest source, longest labels) ≤ this (<c>max_tokens_per_batch</c>).</param>
    /// <param name="batchSizeMultiple">fairseq <c>required_batch_size_multiple</c> (paper 64; this build's default
    /// <see cref="Seq2SeqTaskSettings.BatchSizeMultiple"/> 8), ≥ 1.</param>
    /// <exception cref="ArgumentException">No pairs, an empty source or labels, a budget or multiple below 1, or an example
    /// longer than the budget on its own (the message names it; fairseq asserts the same).</exception>
    public static Seq2SeqBatcher ByTokens(IReadOnlyList<EncodedPair> pairs, int maxTokens, int batchSizeMultiple)
    {
        if (maxTokens < 1) throw new ArgumentException($"maxTokens must be at least 1 token (got {maxTokens})", nameof(maxTokens));
        if (batchSizeMultiple < 1)
        {
            throw new ArgumentException($"batchSizeMultiple must be at least 1 sentence (got {batchSizeMultiple})", nameof(batchSizeMultiple));
        }
        return new Seq2SeqBatcher(pairs, Seq2SeqBatching.Tokens, null, maxTokens, batchSizeMultiple);
    }

    /// <summary>By tokens when <paramref name="maxTokensPerBatch"/> is set (a plan's resolved <c>MaxTokensPerBatch</c>), else by
    /// sentences of <paramref name="batchSize"/>.</summary>
    /// <exception cref="ArgumentException">As <see cref="BySentences"/> / <see cref="ByTokens"/>.</exception>
    public static Seq2SeqBatcher For(IReadOnlyList<EncodedPair> pairs, int batchSize, int? maxTokensPerBatch, int batchSizeMultiple) =>
        maxTokensPerBatch is { } tokens ? ByTokens(pairs, tokens, batchSizeMultiple) : BySentences(pairs, batchSize);

    /// <summary>How training batches are formed.</summary>
    public Seq2SeqBatching Mode { get; }
    /// <summary>Sentences per training batch (by sentences), else null.</summary>
    public int? BatchSize { get; }
    /// <summary>Padded-token budget per training batch (by tokens), else null.</summary>
    public int? MaxTokens { get; }
    /// <summary>Token batches of at least this many sentences hold a multiple of it (1 when batching by sentences).</summary>
    public int BatchSizeMultiple { get; }
    /// <summary>The encoded pairs, indexed as in every order.</summary>
    public IReadOnlyList<EncodedPair> Pairs => _pairs;

    /// <summary>Examples (N).</summary>
    public int Count => _pairs.Count;

    /// <summary>Training batches per epoch, the same every epoch: ⌈N / batch size⌉ by sentences, the built batches by tokens.</summary>
    public int BatchesPerEpoch => _tokenBatches?.Length ?? (_pairs.Count + BatchSize!.Value - 1) / BatchSize!.Value;

    /// <summary>Tokens an example counts for in a token batch: max(source length, label length) (the reference's <c>num_tokens_in_example</c>).</summary>
    public static int TokensOf(EncodedPair pair) => Math.Max(pair.Source.Length, pair.Labels.Length);

    /// <summary>The training batches of one epoch as example indices (every index exactly once; fresh arrays).</summary>
    /// <param name="seed">Run seed.</param>
    /// <param name="epoch">0-based epoch (each epoch gets its own order).</param>
    public IReadOnlyList<int[]> TrainOrder(int seed, int epoch)
    {
        var random = new Random(unchecked(seed * 7919 + epoch * 104729 + 17));
        if (_tokenBatches is not null)
        {
            var order = _tokenBatches.Select(b => (int[])b.Clone()).ToArray();
            random.Shuffle(order);
            var largest = 0;
            for (var b = 1; b < order.Length; b++) if (SourceCost(order[b]) > SourceCost(order[largest])) largest = b;
            (order[0], order[largest]) = (order[largest], order[0]);
            return order;
        }
        var batchSize = BatchSize!.Value;
        var indices = Enumerable.Range(0, _pairs.Count).ToArray();
        random.Shuffle(indices);
        var batches = new List<int[]>(BatchesPerEpoch);
        var pool = batchSize * Batching.LengthBucketedBatcher.PoolBatches;
        for (var start = 0; start < indices.Length; start += pool)
        {
            var sorted = indices.Skip(start).Take(pool)
                .OrderBy(i => _pairs[i].Source.Length).ThenBy(i => _pairs[i].Labels.Length).ThenBy(i => i).ToArray();
            batches.AddRange(sorted.Chunk(batchSize));
        }
        var result = batches.ToArray();
        random.Shuffle(result);
        return result;
    }

    /// <summary>Generation batches of <paramref name="batchSize"/> sentences: sorted by source length, longest first (ties by
    /// index), so similar lengths share a batch and the memory peak comes first; every index exactly once.</summary>
    /// <exception cref="ArgumentException">A batch size below 1.</exception>
    public IReadOnlyList<int[]> EvalOrder(int batchSize)
    {
        if (batchSize < 1) throw new ArgumentException($"batch size must be at least 1 sentence (got {batchSize})", nameof(batchSize));
        return SortedBySourceDescending().Chunk(batchSize).ToList();
    }

    /// <summary>Pads the pairs at <paramref name="indices"/> into a <see cref="Seq2SeqBatch"/>.</summary>
    /// <exception cref="ArgumentException">No indices or an index out of range.</exception>
    public Seq2SeqBatch Collate(int[] indices, ISeq2SeqTokenizer tokenizer) => new(_pairs, indices, tokenizer);

    private IEnumerable<int> SortedBySourceDescending() =>
        Enumerable.Range(0, _pairs.Count).OrderByDescending(i => _pairs[i].Source.Length).ThenBy(i => i);

    private long SourceCost(int[] batch) => (long)batch.Length * batch.Max(i => _pairs[i].Source.Length);

    private int[][] BatchByTokens(int maxTokens, int multiple)
    {
        for (var i = 0; i < _pairs.Count; i++)
        {
            if (TokensOf(_pairs[i]) > maxTokens)
            {
                throw new ArgumentException(
                    $"example {i} counts {TokensOf(_pairs[i])} tokens (source {_pairs[i].Source.Length}, labels {_pairs[i].Labels.Length}), more than maxTokens {maxTokens}; raise the token budget or lower the length limits",
                    nameof(maxTokens));
            }
        }
        var batches = new List<int[]>();
        var batch = new List<int>();
        var longest = 0;
        foreach (var index in SortedBySourceDescending())
        {
            var tokens = TokensOf(_pairs[index]);
            if (batch.Count > 0 && (long)(batch.Count + 1) * Math.Max(longest, tokens) > maxTokens)
            {
                var keep = Math.Max(multiple * (batch.Count / multiple), batch.Count % multiple);
                batches.Add([.. batch.Take(keep)]);
                batch.RemoveRange(0, keep);
                longest = batch.Count == 0 ? 0 : batch.Max(i => TokensOf(_pairs[i]));
                if (batch.Count > 0 && (long)(batch.Count + 1) * Math.Max(longest, tokens) > maxTokens)
                {
                    batches.Add([.. batch]);
                    batch.Clear();
                    longest = 0;
                }
            }
            batch.Add(index);
            longest = Math.Max(longest, tokens);
        }
        var whole = multiple * (batch.Count / multiple);
        if (whole > 0 && whole < batch.Count)
        {
            batches.Add([.. batch.Take(whole)]);
            batch.RemoveRange(0, whole);
        }
        if (batch.Count > 0) batches.Add([.. batch]);
        return [.. batches];
    }
}
