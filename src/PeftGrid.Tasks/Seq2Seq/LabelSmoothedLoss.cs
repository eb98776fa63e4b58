using TorchSharp;
using static TorchSharp.torch;

namespace PeftGrid.Tasks.Seq2Seq;

/// <summary>
/// Teacher-forced token cross-entropy with label smoothing, as Hugging Face's <c>transformers.trainer_pt_utils.LabelSmoother</c>
/// computes it (the loss of the paper's seq2seq runs, PAPER.md §3.5, label smoothing 0.1). With p = softmax(logits) at every label
/// position that is not <see cref="IgnoreIndex"/> (N such positions, V the vocabulary):
/// <c>nll = Σ −log p[label] / N</c>, <c>smooth = Σ Σ_v −log p[v] / (N · V)</c>, loss = <c>(1 − ε) · nll + ε · smooth</c>.
/// With ε = 0 it is <c>cross_entropy(logits, labels, ignore_index: −100)</c> (mean over the non-ignored tokens).
/// </summary>
public static class LabelSmoothedLoss
{
    /// <summary>The label of a position that does not count (padding), as in HF and torch's <c>ignore_index</c> default.</summary>
    public const long IgnoreIndex = -100;

    /// <summary>The label-smoothed loss (see the type's summary), a scalar attached to the graph of <paramref name="logits"/>.</summary>
    /// <param name="logits">Decoder logits [B, T, V] (any float type; log-softmax runs in float32 or wider).</param>
    /// <param name="labels">Labels [B, T] int64; <see cref="IgnoreIndex"/> at padded positions.</param>
    /// <param name="epsilon">Label smoothing ε in [0, 1).</param>
    /// <exception cref="ArgumentException">ε outside [0, 1), shapes that do not match, or no position to score.</exception>
    public static Tensor Compute(Tensor logits, Tensor labels, double epsilon)
    {
        if (!(epsilon >= 0 && epsilon < 1)) throw new ArgumentException($"label smoothing must be in [0, 1) (got {epsilon})", nameof(epsilon));
        if (logits.dim() != labels.dim() + 1 || !logits.shape[..^1].SequenceEqual(labels.shape))
        {
            throw new ArgumentException($"logits [{string.Join(", ", logits.shape)}] do not match labels [{string.Join(", ", labels.shape)}]; expected logits [..., V] over labels [...]");
        }
        using var scope = torch.NewDisposeScope();
        var negLogProbs = -nn.functional.log_softmax(logits.to(ScalarType.Float32), -1);
        var ignored = labels.eq(IgnoreIndex).unsqueeze(-1);
        var active = labels.numel() - ignored.sum().item<long>();
        if (active == 0) throw new ArgumentException("every label is the ignore index (−100): no token to score", nameof(labels));
        var index = labels.clamp_min(0).unsqueeze(-1);
        var nll = negLogProbs.gather(-1, index).masked_fill(ignored, 0).sum() / active;
        if (epsilon == 0) return nll.MoveToOuterDisposeScope();
        var smooth = negLogProbs.sum(-1, keepdim: true).masked_fill(ignored, 0).sum() / (active * (double)logits.shape[^1]);
        return ((1 - epsilon) * nll + epsilon * smooth).MoveToOuterDisposeScope();
    }

    /// <summary>The summed plain cross-entropy −Σ log p[label] over the non-ignored positions and their count (ε = 0, no
    /// reduction): dev loss = Σ sums / Σ counts, a mean per target token over the whole split.</summary>
    /// <param name="logits">Decoder logits [B, T, V].</param>
    /// <param name="labels">Labels [B, T] int64; <see cref="IgnoreIndex"/> at padded positions.</param>
    public static (double Sum, long Tokens) Sum(Tensor logits, Tensor labels)
    {
        using var scope = torch.NewDisposeScope();
        var flat = logits.to(ScalarType.Float32).reshape(-1, logits.shape[^1]);
        var sum = nn.functional.cross_entropy(flat, labels.reshape(-1), ignore_index: IgnoreIndex, reduction: nn.Reduction.Sum);
        return (sum.to(ScalarType.Float64).item<double>(), labels.ne(IgnoreIndex).sum().item<long>());
    }
}
