using PeftGrid.Models.Seq2Seq;
using PeftGrid.Peft.Adapters;
using PeftGrid.Peft.Framework;
using TorchSharp;
using static TorchSharp.torch;

namespace PeftGrid.Models.Tests.Generation;

/// <summary>The untrained minilm2minilm (dropout 0), loaded once per test class, with a seeded <c>prefix[l=5]</c> adapter set and
/// three sources of different lengths as WordPiece-style ids ([CLS] … [SEP]).</summary>
public sealed class MiniLm2MiniLmFixture : IDisposable
{
    public const int PrefixLength = 5;

    public MiniLm2MiniLmFixture()
    {
        Model = ModelLoader.LoadSeq2Seq("minilm2minilm", dropout: 0);
        torch.manual_seed(1234);
        Prefix = AdapterSet.Create(Model, PeftConfig.Parse($"prefix[l={PrefixLength}]"));
        var rng = new Random(17);
        Sources = [.. new[] { 9, 14, 6 }.Select(n => (long[])[101, .. Enumerable.Range(0, n - 2).Select(_ => (long)rng.Next(1996, 29000)), 102])];
    }

    public ISeq2SeqBackbone Model { get; }

    public AdapterSet Prefix { get; }

    /// <summary>Source ids of lengths 9, 14, 6.</summary>
    public IReadOnlyList<long[]> Sources { get; }

    /// <summary>Sources <paramref name="rows"/> right-padded with 0 into ids [n, S_max] and mask [n, S_max].</summary>
    public (Tensor Ids, Tensor Mask) Batch(params int[] rows)
    {
        var s = rows.Max(r => Sources[r].Length);
        var ids = new long[rows.Length * s];
        var mask = new long[rows.Length * s];
        for (var i = 0; i < rows.Length; i++)
        {
            var src = Sources[rows[i]];
            Array.Copy(src, 0, ids, i * s, src.Length);
            for (var j = 0; j < src.Length; j++) { mask[i * s + j] = 1; }
        }
        return (tensor(ids, [rows.Length, s]), tensor(mask, [rows.Length, s]));
    }

    public void Dispose()
    {
        Prefix.Dispose();
        Model.Dispose();
    }
}
