using PeftGrid.Tasks.Text;

namespace PeftGrid.Tasks.Batching;

/// <summary>
/// Groups examples of similar length so that dynamic padding wastes little compute. Training batches:
/// a seeded shuffle, then within pools of <see cref="PoolBatches"/> batches a sort by length, cut into
/// batches, and a seeded shuffle of the batch order (the usual "bucket by length" sampler).
/// Evaluation batches: sorted by length, no shuffle. Deterministic for a given seed and epoch.
/// </summary>
public sealed class LengthBucketedBatcher
{
    /// <summary>Batches per sorting pool (larger = less padding, less randomness).</summary>
    public const int PoolBatches = 50;

    private readonly IReadOnlyList<EncodedExample> _examples;
    private readonly int _batchSize;
    private readonly int _padId;

    /// <summary>Creates a batcher over <paramref name="examples"/>.</summary>
    /// <exception cref="ArgumentException">No examples, or a batch size below 1.</exception>
    public LengthBucketedBatcher(IReadOnlyList<EncodedExample> examples, int batchSize, int padId)
    {
        if (examples.Count == 0) throw new ArgumentException("empty split: nothing to batch", nameof(examples));
        if (batchSize < 1) throw new ArgumentException($"batch size must be at least 1 (got {batchSize})", nameof(batchSize));
        _examples = examples;
        _batchSize = batchSize;
        _padId = padId;
    }

    /// <summary>Examples (N).</summary>
    public int Count => _examples.Count;

    /// <summary>Batches per epoch: ⌈N / batch size⌉.</summary>
    public int BatchesPerEpoch => (_examples.Count + _batchSize - 1) / _batchSize;

    /// <summary>The training batches of one epoch as example indices (every index exactly once).</summary>
    /// <param name="seed">Run seed.</param>
    /// <param name="epoch">0-based epoch (each epoch gets its own order).</param>
    public IReadOnlyList<int[]> TrainOrder(int seed, int epoch)
    {
        var random = new Random(unchecked(seed * 7919 + epoch * 104729 + 17));
        var indices = Enumerable.Range(0, _examples.Count).ToArray();
        random.Shuffle(indices);
        var batches = new List<int[]>(BatchesPerEpoch);
        var pool = _batchSize * PoolBatches;
        for (var start = 0; start < indices.Length; start += pool)
        {
            var sorted = indices.Skip(start).Take(pool).OrderBy(i => _examples[i].Length).ThenBy(i => i).ToArray();
            batches.AddRange(sorted.Chunk(_batchSize));
        }
        var order = batches.ToArray();
        random.Shuffle(order);
        return order;
    }

    /// <summary>The evaluation batches as example indices: sorted by length, then index.</summary>
    public IReadOnlyList<int[]> EvalOrder() =>
        Enumerable.Range(0, _examples.Count).OrderBy(i => _examples[i].Length).ThenBy(i => i).Chunk(_batchSize).ToList();

    /// <summary>Pads the examples at <paramref name="indices"/> into a <see cref="Batch"/>.</summary>
    public Batch Collate(int[] indices) => new(indices.Select(i => _examples[i]).ToList(), _padId);
}
