using Xunit.Abstractions;
using PeftGrid.Tasks.Seq2Seq;
using PeftGrid.Tasks.Text;

namespace PeftGrid.Tasks.Tests.Seq2Seq;

public class Seq2SeqBatcherTests(ITestOutputHelper output)
{
    /// <summary>A pair with a source of <paramref name="source"/> ids and <paramref name="labels"/> label ids.</summary>
    private static EncodedPair Pair(int source, int labels) =>
        new(Enumerable.Range(1000, source).ToArray(), Enumerable.Range(2000, labels).ToArray());

    private static List<EncodedPair> Synthetic(int n, int maxLength, int seed = 1)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => Pair(random.Next(1, maxLength + 1), random.Next(1, maxLength + 1))).ToList();
    }

    private static void AssertEveryIndexOnce(IReadOnlyList<int[]> order, int n) =>
        Assert.Equal(Enumerable.Range(0, n), order.SelectMany(b => b).Order());

    private static string Key(IReadOnlyList<int[]> order) => string.Join("|", order.Select(b => string.Join(",", b)));

    [Fact]
    public void TokenBatchesFollowFairseqModLenAndCarryTheRestOver()
    {
        // Seven pairs of 2 tokens, budget 12, multiple 4: the 7th would make 7 × 2 = 14 > 12, so the batch of 6 keeps
        // max(4·⌊6/4⌋, 6 mod 4) = 4 and carries [4, 5] over; [4, 5, 6] (3 < 4 sentences) ends the epoch.
        var batcher = Seq2SeqBatcher.ByTokens(Enumerable.Repeat(Pair(2, 2), 7).ToList(), maxTokens: 12, batchSizeMultiple: 4);
        Assert.Equal(2, batcher.BatchesPerEpoch);
        Assert.Equal(["0,1,2,3", "4,5,6"], batcher.TrainOrder(42, 0).Select(b => string.Join(",", b)).Order());
    }

    [Fact]
    public void ALastTokenBatchOfAtLeastTheMultipleIsCutToAMultiple()
    {
        // Three 1-token pairs fit a budget of 100 together; with multiple 2 the last batch of 3 becomes [0, 1] + [2]
        // (fairseq would yield [0, 1, 2]).
        var batcher = Seq2SeqBatcher.ByTokens(Enumerable.Repeat(Pair(1, 1), 3).ToList(), maxTokens: 100, batchSizeMultiple: 2);
        Assert.Equal(["0,1", "2"], batcher.TrainOrder(1, 0).Select(b => string.Join(",", b)).Order());
    }

    [Fact]
    public void ACarriedOverRestThatWouldBreakTheBudgetBecomesItsOwnBatch()
    {
        // (source, labels) = (3,1) (3,2) (3,3) (2,6) (1,1): tokens 3 3 3 6 1, sorted by source (longest first) 0 1 2 3 4.
        // [0,1,2] costs 9 ≤ 10; adding 3 costs 4 × 6 = 24 > 10: keep 2·⌊3/2⌋ = 2 → [0,1]; the rest [2] + 3 would cost
        // 2 × 6 = 12 > 10, so [2] is its own batch (fairseq would form [2,3] at 12 tokens); then [3] (2 × 6 > 10) and [4].
        // The batch with the largest size × longest source, [0,1] (2 × 3 = 6), always comes first, as in the reference.
        List<EncodedPair> pairs = [Pair(3, 1), Pair(3, 2), Pair(3, 3), Pair(2, 6), Pair(1, 1)];
        var batcher = Seq2SeqBatcher.ByTokens(pairs, maxTokens: 10, batchSizeMultiple: 2);
        Assert.Equal(4, batcher.BatchesPerEpoch);
        for (var epoch = 0; epoch < 3; epoch++)
        {
            var order = batcher.TrainOrder(7, epoch);
            Assert.Equal([0, 1], order[0]);
            Assert.Equal(["2", "3", "4"], order.Skip(1).Select(b => string.Join(",", b)).Order());
        }
    }

    [Fact]
    public void TokenBatchingKeepsItsInvariantsOnSixHundredPairs()
    {
        const int maxTokens = 1024, multiple = 8;
        var pairs = Synthetic(600, 150);
        var batcher = Seq2SeqBatcher.ByTokens(pairs, maxTokens, multiple);
        var orders = Enumerable.Range(0, 3).Select(epoch => batcher.TrainOrder(42, epoch)).ToList();
        foreach (var order in orders)
        {
            AssertEveryIndexOnce(order, 600);
            Assert.Equal(batcher.BatchesPerEpoch, order.Count);
            foreach (var batch in order)
            {
                Assert.True(batch.Length * batch.Max(i => Seq2SeqBatcher.TokensOf(pairs[i])) <= maxTokens);
                if (batch.Length >= multiple) Assert.Equal(0, batch.Length % multiple);
            }
            // Same batches every epoch, only their order changes.
            Assert.Equal(orders[0].Select(b => string.Join(",", b)).Order(), order.Select(b => string.Join(",", b)).Order());
        }
        Assert.Equal(Key(orders[0]), Key(batcher.TrainOrder(42, 0)));
        Assert.NotEqual(Key(orders[0]), Key(orders[1]));
        Assert.NotEqual(Key(orders[0]), Key(batcher.TrainOrder(43, 0)));
    }

    [Fact]
    public void RealEnRoTrainBatchesByTokensWithinTheDefaultBudget()
    {
        // The shared 1,799 en-ro training pairs, MiniLM WordPiece at the paper's 150 / 150, this build's default budget.
        var task = Seq2SeqTaskSettings.EnRo;
        var tokenizer = WordPieceSeq2SeqEncoder.MiniLm();
        var pairs = Seq2SeqEncoding.Encode(Seq2SeqJsonlReader.ReadTrain(TestData.Root, task).Examples, tokenizer, 150, task.TargetLength);
        var batcher = Seq2SeqBatcher.ByTokens(pairs, task.DefaultMaxTokensPerBatch!.Value, task.BatchSizeMultiple);
        var order = batcher.TrainOrder(42, 0);
        AssertEveryIndexOnce(order, 1799);
        Assert.All(order, b => Assert.True(b.Length * b.Max(i => Seq2SeqBatcher.TokensOf(pairs[i])) <= 1024));
        Assert.All(order, b => Assert.True(b.Length < 8 || b.Length % 8 == 0, $"batch of {b.Length}"));
        var batches = order.Select(b => batcher.Collate(b, tokenizer)).ToList();
        long real = batches.Sum(b => b.SourceTokens + b.TargetTokens), slots = batches.Sum(b => b.PaddedTokens);
        output.WriteLine($"en-ro train: {batcher.BatchesPerEpoch} token batches, sizes {order.Min(b => b.Length)}..{order.Max(b => b.Length)}, " +
            $"real tokens {real}, slots {slots} ({100.0 * real / slots:F1}% real)");
    }

    [Fact]
    public void AnExampleLongerThanTheBudgetIsNamed()
    {
        var e = Assert.Throws<ArgumentException>(() => Seq2SeqBatcher.ByTokens([Pair(3, 3), Pair(4, 9)], maxTokens: 8, batchSizeMultiple: 1));
        Assert.StartsWith("example 1 counts 9 tokens (source 4, labels 9), more than maxTokens 8", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SentenceBatchingIsLengthBucketedDeterministicAndReshuffledPerEpoch()
    {
        var pairs = Synthetic(103, 60, seed: 3);
        var batcher = Seq2SeqBatcher.BySentences(pairs, batchSize: 8);
        Assert.Equal(13, batcher.BatchesPerEpoch); // ⌈103 / 8⌉
        var order = batcher.TrainOrder(42, 0);
        AssertEveryIndexOnce(order, 103);
        // 103 < one pool (8 × 50), so the batches are consecutive cuts of one sorted list: 12 of 8 and one of 7.
        Assert.Equal([7, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8], order.Select(b => b.Length).Order());
        var byLength = order.OrderBy(b => b.Min(i => pairs[i].Source.Length)).ToList();
        for (var b = 1; b < byLength.Count; b++)
        {
            Assert.True(byLength[b - 1].Max(i => pairs[i].Source.Length) <= byLength[b].Min(i => pairs[i].Source.Length));
        }
        Assert.Equal(Key(order), Key(batcher.TrainOrder(42, 0)));
        Assert.NotEqual(Key(order), Key(batcher.TrainOrder(42, 1)));
        AssertEveryIndexOnce(batcher.TrainOrder(42, 1), 103);
    }

    [Fact]
    public void EvalOrderIsByDescendingSourceLengthWithEveryIndexOnce()
    {
        List<EncodedPair> pairs = [Pair(2, 1), Pair(5, 1), Pair(2, 9), Pair(7, 1), Pair(1, 1)];
        var batcher = Seq2SeqBatcher.BySentences(pairs, 4);
        Assert.Equal(["3,1", "0,2", "4"], batcher.EvalOrder(2).Select(b => string.Join(",", b)));
    }

    [Fact]
    public void ForPicksTokensWhenABudgetIsGiven()
    {
        var pairs = Synthetic(10, 5);
        Assert.Equal(Seq2SeqBatching.Tokens, Seq2SeqBatcher.For(pairs, 4, 64, 8).Mode);
        Assert.Equal(Seq2SeqBatching.Sentences, Seq2SeqBatcher.For(pairs, 4, null, 8).Mode);
    }

    [Fact]
    public void CollatePadsSourcesWithPadIdAndLabelsWithMinus100()
    {
        // MiniLM WordPiece: pad 0, decoder start [CLS] 101, eos [SEP] 102. Decoder input = [101] + labels[..^1].
        var tokenizer = WordPieceSeq2SeqEncoder.MiniLm();
        List<EncodedPair> pairs = [new([101, 7, 8, 102], [20, 21, 102]), new([101, 9, 102], [30, 102])];
        var batch = Seq2SeqBatcher.BySentences(pairs, 2).Collate([0, 1], tokenizer);
        Assert.Equal((2, 4, 3), (batch.Size, batch.SourceLength, batch.TargetLength));
        Assert.Equal(new long[] { 101, 7, 8, 102, 101, 9, 102, 0 }, batch.InputIds);
        Assert.Equal(new long[] { 1, 1, 1, 1, 1, 1, 1, 0 }, batch.AttentionMask);
        Assert.Equal(new long[] { 101, 20, 21, 101, 30, 0 }, batch.DecoderInputIds);
        Assert.Equal(new long[] { 20, 21, 102, 30, 102, -100 }, batch.Labels);
        // Real tokens: sources 4 + 3 = 7, labels 3 + 2 = 5; slots 2 × 4 + 2 × 3 = 14, so 2 padding.
        Assert.Equal((7L, 5L, 14L, 2L), (batch.SourceTokens, batch.TargetTokens, batch.PaddedTokens, batch.PaddingTokens));
        Assert.Equal([0, 1], batch.Indices);

        var (ids, mask, decoderIds, labels) = batch.ToTensors(TorchSharp.torch.CPU);
        Assert.Equal(new long[] { 2, 4 }, ids.shape);
        Assert.Equal(new long[] { 2, 4 }, mask.shape);
        Assert.Equal(new long[] { 2, 3 }, decoderIds.shape);
        Assert.Equal(-100L, labels[1, 2].item<long>());
        Assert.Equal(TorchSharp.torch.ScalarType.Int64, labels.dtype);
    }
}
