using PeftGrid.Peft.Framework;

namespace PeftGrid.Peft.Tuners.Lora;

/// <summary>LoRA's options (Hu et al. 2021; PAPER.md §1.6, Eq. 6; HF peft <c>LoraConfig</c>), read from its <see cref="Modification"/>.</summary>
/// <param name="Rank">r (≥ 1).</param>
/// <param name="Alpha">alpha; the update is scaled by s = alpha / r.</param>
/// <param name="Dropout">Dropout on the LoRA input (<c>lora_dropout</c>), in [0, 1).</param>
public sealed record LoraOptions(int Rank, double Alpha, double Dropout)
{
    /// <summary>s = alpha / r.</summary>
    public double Scale => Alpha / Rank;

    /// <summary>The options of <paramref name="m"/> (size r, <see cref="Modification.LoraAlpha"/>, dropout).</summary>
    /// <exception cref="ArgumentException"><paramref name="m"/> has no LoRA alpha.</exception>
    public static LoraOptions From(Modification m) => new(m.Size,
        m.LoraAlpha ?? throw new ArgumentException($"{m.Name}: a low-rank modification needs a LoRA alpha", nameof(m)), m.Dropout);
}
