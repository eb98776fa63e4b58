using TorchSharp;
using static TorchSharp.torch;

namespace PeftGrid.Peft.Seams;

/// <summary>
/// The dropout on attention probabilities as data — probability and training flag — so that fused attention
/// (<see cref="ScaledDotProductAttention.Compute"/>, libtorch's <c>scaled_dot_product_attention</c>, whose <c>dropout_p</c> must be 0
/// in eval) and the explicit paths see the same setting. The owning module builds it from its own <c>training</c> flag.
/// </summary>
/// <param name="Probability">Drop probability in [0, 1).</param>
/// <param name="Training">True in training mode; in eval mode nothing is dropped.</param>
public readonly record struct AttentionDropout(double Probability, bool Training)
{
    /// <summary>No dropout (probability 0, eval).</summary>
    public static AttentionDropout None => new(0, false);

    /// <summary>The probability actually applied: <see cref="Probability"/> while training, 0 in eval.</summary>
    public double Effective => Training ? Probability : 0;

    /// <summary>Inverted dropout (kept values scaled by 1/(1 − p), as <c>nn.Dropout</c>) on probabilities <paramref name="p"/> [..., S];
    /// the input itself when <see cref="Effective"/> is 0.</summary>
    public Tensor Apply(Tensor p) => Effective > 0 ? nn.functional.dropout(p, Effective, training: true) : p.alias();
}
