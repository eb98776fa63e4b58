using PeftGrid.Models.Bert;
using PeftGrid.Peft.Adapters;
using PeftGrid.Peft.Budget;
using PeftGrid.Peft.Framework;
using TorchSharp;
using static TorchSharp.torch;

namespace PeftGrid.Peft.Tests;

/// <summary>A small random BERT (d = 32, L = 2, 4 heads, d_m = 128 = 4d) and fixed inputs, for fast exact tests.</summary>
public static class TinyModels
{
    public static readonly ModelShape Shape = new("tiny", 32, 2, 4, 128, 100, 64, 2);

    public static SequenceClassifier Classifier(string? spec, int seed = 7)
    {
        torch.manual_seed(seed);
        var model = new SequenceClassifier(new BertEncoder(new EncoderConfig(Shape)), 3);
        if (spec is not null)
        {
            torch.manual_seed(seed + 1);
            model.ApplyPeft(PeftConfig.Parse(spec));
        }
        model.eval();
        return model;
    }

    /// <summary>Batch of 3 sequences of length 9; the last two tokens of row 2 are padding.</summary>
    public static (Tensor Ids, Tensor Types, Tensor Mask) Batch()
    {
        torch.manual_seed(123);
        var ids = torch.randint(5, 100, [3, 9], dtype: ScalarType.Int64);
        var types = torch.zeros(3, 9, dtype: ScalarType.Int64);
        var mask = torch.ones(3, 9, dtype: ScalarType.Int64);
        mask[2, 7..] = 0;
        return (ids, types, mask);
    }

    /// <summary>A bare tiny encoder in eval mode, initialised from <paramref name="seed"/>.</summary>
    public static BertEncoder Encoder(int seed = 7)
    {
        torch.manual_seed(seed);
        var encoder = new BertEncoder(new EncoderConfig(Shape));
        encoder.eval();
        return encoder;
    }

    /// <summary>The model's last hidden state on <see cref="Batch"/>, with its adapters.</summary>
    public static Tensor Hidden(SequenceClassifier model)
    {
        var (ids, types, mask) = Batch();
        using var _ = torch.no_grad();
        return model.Encode(ids, types, mask);
    }

    /// <summary>The encoder's last hidden state on <see cref="Batch"/> with <paramref name="adapters"/> (null: plain).</summary>
    public static Tensor Hidden(BertEncoder encoder, AdapterSet? adapters)
    {
        var (ids, types, mask) = Batch();
        using var _ = torch.no_grad();
        return encoder.forward(ids, types, mask, adapters);
    }

    public static double MaxDiff(Tensor a, Tensor b) => (a - b).abs().max().item<float>();
}
