using PeftGrid.Tasks.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace PeftGrid.Tasks.Tests.Training;

/// <summary><see cref="DynamicLossScale"/> follows torch.cuda.amp.GradScaler: backoff ×0.5 on an overflow, growth ×2 after the interval.</summary>
public class DynamicLossScaleTests
{
    [Fact]
    public void Defaults_are_gradscalers_and_the_scale_grows_after_the_interval_and_backs_off_on_overflow()
    {
        var s = new DynamicLossScale();
        Assert.Equal(65536.0, s.Scale);
        Assert.Equal((2.0, 0.5, 2000), (s.GrowthFactor, s.BackoffFactor, s.GrowthInterval));
        var t = new DynamicLossScale(1024, growthInterval: 3);
        t.Update(false); t.Update(false);
        Assert.Equal(1024.0, t.Scale);
        t.Update(false);
        Assert.Equal(2048.0, t.Scale);                    // three clean steps in a row
        t.Update(false); t.Update(true);
        Assert.Equal(1024.0, t.Scale);                    // backoff, and the clean count restarts
        t.Update(false); t.Update(false);
        Assert.Equal(1024.0, t.Scale);
        Assert.Equal(1, t.OverflowSteps);
    }

    [Fact]
    public void Unscale_divides_the_gradients_and_detects_an_inf()
    {
        var p = new TorchSharp.Modules.Parameter(torch.zeros(3));
        var q = new TorchSharp.Modules.Parameter(torch.zeros(2));
        var s = new DynamicLossScale(8);
        s.ScaleLoss((p * torch.tensor(new float[] { 1, 2, 3 })).sum() + q.sum()).backward();
        Assert.True(s.Unscale([p, q]));
        Assert.Equal(new float[] { 1, 2, 3 }, p.grad!.data<float>().ToArray());
        Assert.Equal(new float[] { 1, 1 }, q.grad!.data<float>().ToArray());
        q.grad.fill_(float.PositiveInfinity);
        Assert.False(s.Unscale([p, q]));
    }

    [Fact]
    public void Bad_settings_are_one_line_errors()
    {
        Assert.Equal("initial loss scale must be > 0 (got 0) (Parameter 'initialScale')",
            Assert.Throws<ArgumentException>(() => new DynamicLossScale(0)).Message);
        Assert.StartsWith("loss-scale backoff factor must be in (0, 1) (got 1)",
            Assert.Throws<ArgumentException>(() => new DynamicLossScale(backoffFactor: 1)).Message);
    }
}
