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
    public static ModelShape Shape(ModelLayout layout) =>
        new(layout == ModelLayout.MBart ? "tiny-mbart" : "tiny-bart", 32, 2, 4, 128, 100, 66, 0) { DecoderLayers = 2, Layout = layout };

    /// <summary>A bare backbone in eval mode; LayerNorms and final_logits_bias perturbed so every tensor matters, embeddings N(0, 0.1).</summary>
    public static BartModel Backbone(ModelLayout layout, int seed = 7)
    {
        torch.manual_seed(seed);
        var model = new BartModel(new BartConfig(Shape(layout)));
        using (torch.no_grad())
        {
            foreach (var (_, p) in model.PretrainedParameters().Where(p => p.Name.Contains("norm")))
            {
                p.add_(torch.randn_like(p) * 0.1);
            }
            foreach (var (_, p) in model.PretrainedParameters().Where(p => p.Name.Contains("shared") || p.Name.Contains("embed_positions")))
            {
                p.mul_(0.1);   // N(0, 0.1) embeddings keep the tied LM head's logits O(1), as a pretrained model's are
            }
            model.LogitsBias.copy_(torch.randn_like(model.LogitsBias) * 0.1);
        }
        model.eval();
        return model;
    }

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
