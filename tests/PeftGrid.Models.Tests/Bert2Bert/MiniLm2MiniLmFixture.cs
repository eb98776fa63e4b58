using PeftGrid.Models.Bert2Bert;
using TorchSharp;
using static TorchSharp.torch;

namespace PeftGrid.Models.Tests.Bert2Bert;

/// <summary>minilm2minilm with its pretrained weights, loaded once per test class (eval mode, dropout off, new parts seeded).</summary>
public sealed class MiniLm2MiniLmFixture : IDisposable
{
    public MiniLm2MiniLmFixture()
    {
        torch.manual_seed(0);
        Model = MiniLm2MiniLm.Load(dropout: 0.0);
        Model.eval();
    }

    public MiniLm2MiniLm Model { get; }

    /// <summary>Two sources (row 1 right-padded from position 6) of length 9 and decoder inputs [2, 5] starting with [CLS].</summary>
    public static (Tensor Ids, Tensor Mask, Tensor Decoder) Batch()
    {
        torch.manual_seed(321);
        var ids = torch.randint(1000, 30000, [2, 9], dtype: ScalarType.Int64);
        ids[.., 0] = 101;
        var mask = torch.ones(2, 9, dtype: ScalarType.Int64);
        mask[1, 6..] = 0;
        ids[1, 6..] = 0;
        var dec = torch.randint(1000, 30000, [2, 5], dtype: ScalarType.Int64);
        dec[.., 0] = 101;
        return (ids, mask, dec);
    }

    public static double MaxDiff(Tensor a, Tensor b) => (a - b).abs().max().item<float>();

    public void Dispose() => Model.Dispose();
}
