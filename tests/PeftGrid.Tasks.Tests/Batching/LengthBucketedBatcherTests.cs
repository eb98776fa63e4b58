using PeftGrid.Tasks.Batching;
using PeftGrid.Tasks.Text;

namespace PeftGrid.Tasks.Tests.Batching;

public class LengthBucketedBatcherTests
{
    private static List<EncodedExample> Synthetic(int n, int seed = 1)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, n).Select(i =>
        {
            var len = random.Next(3, 60);
            return new EncodedExample(Enumerable.Range(1000 + i, len).ToArray(), new int[len], i % 2);
        }).ToList();
    }

    [Fact]
    public void Collate_pads_to_the_longest_and_masks_padding()
    {
        var data = new List<EncodedExample>
        {
            new([101, 7, 102], [0, 0, 0], 1),
            new([101, 8, 9, 10, 102], [0, 0, 0, 1, 1], 0),
        };
        var batch = new LengthBucketedBatcher(data, 2, padId: 0).Collate([0, 1]);
        Assert.Equal(2, batch.Size);
        Assert.Equal(5, batch.Length);
        Assert.Equal(new long[] { 101, 7, 102, 0, 0, 101, 8, 9, 10, 102 }, batch.InputIds);
        Assert.Equal(new long[] { 1, 1, 1, 0, 0, 1, 1, 1, 1, 1 }, batch.AttentionMask);
        Assert.Equal(new long[] { 0, 0, 0, 0, 0, 0, 0, 0, 1, 1 }, batch.TokenTypeIds);
        Assert.Equal(new long[] { 1, 0 }, batch.Labels);
        Assert.Equal(8, batch.TokenCount);
        var (ids, _, mask, labels) = batch.ToTensors(TorchSharp.torch.CPU);
        Assert.Equal(new long[] { 2, 5 }, ids.shape);
        Assert.Equal(8, mask.sum().item<long>());
        Assert.Equal(new long[] { 2 }, labels.shape);
    }

    [Fact]
    public void Train_order_covers_every_example_once_and_is_seeded()
    {
        var data = Synthetic(1000);
        var batcher = new LengthBucketedBatcher(data, 32, 0);
        var a = batcher.TrainOrder(seed: 42, epoch: 0);
        Assert.Equal(32, a.Count); // ⌈1000/32⌉
        Assert.Equal(Enumerable.Range(0, 1000), a.SelectMany(b => b).Order());
        Assert.Equal(a, batcher.TrainOrder(42, 0));                 // same seed, same order
        Assert.NotEqual(a.SelectMany(b => b), batcher.TrainOrder(43, 0).SelectMany(b => b)); // other seed
        Assert.NotEqual(a.SelectMany(b => b), batcher.TrainOrder(42, 1).SelectMany(b => b)); // other epoch
    }

    [Fact]
    public void Bucketing_cuts_padding_well_below_random_batches()
    {
        var data = Synthetic(3200);
        var batcher = new LengthBucketedBatcher(data, 32, 0);
        long Padded(IEnumerable<int[]> batches) => batches.Sum(b => (long)b.Length * b.Max(i => data[i].Length));
        var real = data.Sum(e => (long)e.Length);
        var random = Enumerable.Range(0, 3200).OrderBy(i => new Random(i).Next()).Chunk(32);
        var bucketedWaste = Padded(batcher.TrainOrder(42, 0)) - real;
        var randomWaste = Padded(random) - real;
        Assert.True(bucketedWaste * 10 < randomWaste, $"bucketed padding {bucketedWaste} vs random {randomWaste}");
        var eval = batcher.EvalOrder();
        Assert.Equal(Enumerable.Range(0, 3200), eval.SelectMany(b => b).Order());
    }

    [Fact]
    public void Empty_split_and_bad_batch_size_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => new LengthBucketedBatcher([], 32, 0));
        Assert.Throws<ArgumentException>(() => new LengthBucketedBatcher(Synthetic(3), 0, 0));
    }
}
