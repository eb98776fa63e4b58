using PeftGrid.Models.Bart;
using PeftGrid.Models.Seq2Seq;
using PeftGrid.Peft.Budget;
using PeftGrid.Peft.Framework;
using TorchSharp;
using static TorchSharp.torch;

namespace PeftGrid.Peft.Tests.EncoderDecoder;

/// <summary>Tiny random BART / mBART (d = 32, 2 + 2 layers, 4 heads, d_m = 128, vocabulary 100) wrapped as Seq2SeqModel, and fixed inputs.</summary>
public static class TinyBart
{
    public static ModelShape Shape(ModelLayout layout) => Models.Tests.Bart.TinyBartFiles.Shape(layout);

    /// <summary>A bare backbone in eval mode (<see cref="Models.Tests.Bart.TinyBartFiles.Model"/>).</summary>
    public static BartModel Backbone(ModelLayout layout, int seed = 7) => Models.Tests.Bart.TinyBartFiles.Model(layout, seed);

    /// <summary>The backbone of <paramref name="seed"/> wrapped, with <paramref name="spec"/> applied (adapter init seeded by seed + 1), in eval mode.</summary>
    public static Seq2SeqModel Model(ModelLayout layout, string? spec, int seed = 7)
    {
        var model = new Seq2SeqModel(Backbone(layout, seed));
        if (spec is not null)
        {
            torch.manual_seed(seed + 1);
            model.ApplyPeft(PeftConfig.Parse(spec));
        }
        model.eval();
        return model;
    }

    /// <summary>3 sources of length 8 (row 2 right-padded after 5 tokens) and decoder inputs of length 5 starting with 2.</summary>
    public static (Tensor Ids, Tensor Mask, Tensor Dec) Batch()
    {
        torch.manual_seed(123);
        var ids = torch.randint(4, 100, [3, 8], dtype: ScalarType.Int64);
        var mask = torch.ones(3, 8, dtype: ScalarType.Int64);
        ids[2, 5..] = 1;
        mask[2, 5..] = 0;
        var dec = torch.randint(4, 100, [3, 5], dtype: ScalarType.Int64);
        dec[.., 0] = 2;
        return (ids, mask, dec);
    }

    /// <summary>Teacher-forced logits [3, 5, 100] on <see cref="Batch"/>.</summary>
    public static Tensor Logits(Seq2SeqModel model)
    {
        var (ids, mask, dec) = Batch();
        using var _ = torch.no_grad();
        return model.forward(ids, mask, dec);
    }

    public static double MaxDiff(Tensor a, Tensor b) => (a - b).abs().max().item<float>();
}
