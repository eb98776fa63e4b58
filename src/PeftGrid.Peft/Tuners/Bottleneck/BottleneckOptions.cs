using PeftGrid.Peft.Framework;

namespace PeftGrid.Peft.Tuners.Bottleneck;

/// <summary>A bottleneck adapter's options (PAPER.md §1.7–1.9, §1.11), read from its <see cref="Modification"/>.</summary>
/// <param name="Bottleneck">r, the bottleneck dimension (≥ 1).</param>
/// <param name="Insertion">Sequential (Δh reads h) or parallel (Δh reads x).</param>
/// <param name="Init">BERT init (N(0, 0.02) weights) or LoRA init (Kaiming-uniform down, zero up).</param>
/// <param name="InputLayerNorm">Whether the adapter normalises its input with its own LayerNorm.</param>
/// <param name="Scale">s of h + s·Δh (1 for a plain add).</param>
/// <param name="TrainableScale">True when s is a trainable scalar initialised to 1.</param>
/// <param name="Dropout">Dropout after the ReLU, in [0, 1).</param>
public sealed record BottleneckOptions(int Bottleneck, InsertionForm Insertion, AdapterInit Init, bool InputLayerNorm, double Scale,
    bool TrainableScale, double Dropout)
{
    /// <summary>The options of <paramref name="m"/> (size r, insertion, init, LayerNorm, s, dropout).</summary>
    public static BottleneckOptions From(Modification m) =>
        new(m.Size, m.Insertion, m.Init, m.InputLayerNorm, m.Scale, m.TrainableScale, m.Dropout);
}
