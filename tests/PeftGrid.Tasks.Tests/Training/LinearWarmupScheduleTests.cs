using PeftGrid.Tasks.Training;

namespace PeftGrid.Tasks.Tests.Training;

public class LinearWarmupScheduleTests
{
    [Fact]
    public void Warmup_is_six_percent_rounded_up_then_linear_decay_to_zero()
    {
        var s = new LinearWarmupSchedule(totalSteps: 625); // 20,000 examples / 32
        Assert.Equal(38, s.WarmupSteps);                    // ⌈0.06·625⌉ = ⌈37.5⌉
        Assert.Equal(0.0, s.Factor(0), 12);
        Assert.Equal(19.0 / 38, s.Factor(19), 12);
        Assert.Equal(1.0, s.Factor(38), 12);
        Assert.Equal((625.0 - 300) / (625 - 38), s.Factor(300), 12);
        Assert.Equal(1.0 / 587, s.Factor(624), 12);
        Assert.Equal(0.0, s.Factor(625), 12);
        Assert.Equal(0.0, s.Factor(10_000), 12);
    }

    [Fact]
    public void Factor_rises_monotonically_then_falls()
    {
        var s = new LinearWarmupSchedule(1000, 0.06);
        var f = Enumerable.Range(0, 1000).Select(i => s.Factor(i)).ToArray();
        for (var i = 1; i < 60; i++) Assert.True(f[i] > f[i - 1]);
        for (var i = 61; i < 1000; i++) Assert.True(f[i] < f[i - 1]);
        Assert.InRange(f.Max(), 1.0 - 1e-12, 1.0);
    }

    [Fact]
    public void Zero_warmup_starts_at_full_rate_and_bad_arguments_throw()
    {
        Assert.Equal(1.0, new LinearWarmupSchedule(10, 0).Factor(0), 12);
        Assert.Throws<ArgumentException>(() => new LinearWarmupSchedule(0));
        Assert.Throws<ArgumentException>(() => new LinearWarmupSchedule(10, 1.0));
        Assert.Throws<ArgumentException>(() => new LinearWarmupSchedule(10, -0.1));
    }
}
