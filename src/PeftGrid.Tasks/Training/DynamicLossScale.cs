using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PeftGrid.Tasks.Training;

/// <summary>
/// Dynamic loss scaling for fp16 mixed precision, as <c>torch.cuda.amp.GradScaler</c> (PyTorch <c>torch/amp/grad_scaler.py</c>):
/// the loss is multiplied by <see cref="Scale"/> before backward so small fp16 gradients do not flush to zero; the float32 master
/// gradients are then divided by it (<see cref="Unscale"/>). A step whose unscaled gradients hold an inf/NaN is skipped by the
/// caller and the scale backs off (× <see cref="BackoffFactor"/>); after <see cref="GrowthInterval"/> clean steps in a row it grows
/// (× <see cref="GrowthFactor"/>). Defaults are GradScaler's: init 2^16, growth 2 every 2000 steps, backoff 0.5.
/// </summary>
/// <param name="initialScale">The first scale (&gt; 0).</param>
/// <param name="growthFactor">Factor applied after <paramref name="growthInterval"/> clean steps (&gt; 1).</param>
/// <param name="backoffFactor">Factor applied on an overflow (in (0, 1)).</param>
/// <param name="growthInterval">Clean steps in a row before the scale grows (≥ 1).</param>
public sealed class DynamicLossScale(double initialScale = 65536.0, double growthFactor = 2.0, double backoffFactor = 0.5, int growthInterval = 2000)
{
    private int cleanSteps;

    /// <summary>The current scale.</summary>
    public double Scale { get; private set; } = initialScale > 0 ? initialScale
        : throw new ArgumentException($"initial loss scale must be > 0 (got {initialScale})", nameof(initialScale));

    /// <summary>Growth factor (GradScaler's <c>growth_factor</c>).</summary>
    public double GrowthFactor { get; } = growthFactor > 1 ? growthFactor
        : throw new ArgumentException($"loss-scale growth factor must be > 1 (got {growthFactor})", nameof(growthFactor));

    /// <summary>Backoff factor (GradScaler's <c>backoff_factor</c>).</summary>
    public double BackoffFactor { get; } = backoffFactor is > 0 and < 1 ? backoffFactor
        : throw new ArgumentException($"loss-scale backoff factor must be in (0, 1) (got {backoffFactor})", nameof(backoffFactor));

    /// <summary>Clean steps before growth (GradScaler's <c>growth_interval</c>).</summary>
    public int GrowthInterval { get; } = growthInterval >= 1 ? growthInterval
        : throw new ArgumentException($"loss-scale growth interval must be at least 1 (got {growthInterval})", nameof(growthInterval));

    /// <summary>Steps skipped for an overflow so far.</summary>
    public long OverflowSteps { get; private set; }

    /// <summary><paramref name="loss"/> × <see cref="Scale"/> (a new tensor; backward it instead of the loss).</summary>
    public Tensor ScaleLoss(Tensor loss) => loss * Scale;

    /// <summary>Divides every gradient of <paramref name="parameters"/> by <see cref="Scale"/> in place (parameters without a gradient
    /// are skipped) and reports whether all of them are finite afterwards.</summary>
    public bool Unscale(IEnumerable<Parameter> parameters)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var finite = true;
        foreach (var g in parameters.Select(p => p.grad).OfType<Tensor>())
        {
            g.mul_(1.0 / Scale);
            if (finite && !g.isfinite().all().item<bool>()) finite = false;
        }
        return finite;
    }

    /// <summary>Ends a step: on <paramref name="overflow"/> counts it and multiplies the scale by <see cref="BackoffFactor"/>;
    /// otherwise counts a clean step and multiplies by <see cref="GrowthFactor"/> every <see cref="GrowthInterval"/> clean steps in a row.</summary>
    public void Update(bool overflow)
    {
        if (overflow)
        {
            OverflowSteps++;
            Scale *= BackoffFactor;
            cleanSteps = 0;
            return;
        }
        if (++cleanSteps < GrowthInterval) return;
        Scale *= GrowthFactor;
        cleanSteps = 0;
    }
}
