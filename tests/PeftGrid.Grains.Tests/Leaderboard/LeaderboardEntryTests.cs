using PeftGrid.Contracts.Trials;
using PeftGrid.Grains.Leaderboard;
using Xunit;

namespace PeftGrid.Grains.Tests.Leaderboard;

/// <summary><see cref="LeaderboardMath.ToEntry"/>: which results become entries and how a diverged one is marked.</summary>
public sealed class LeaderboardEntryTests
{
    private static readonly TrialSpec Spec = new()
    {
        Task = "sst2", Model = "minilm", Method = "lora-attn", BudgetPercent = 0.5, Seed = 7,
        Profile = new TrainingProfile { Epochs = 2, MaxTrainExamples = 2000 },
    };

    private static TrialResult Result(TrialStatus status, double? accuracy) => new()
    {
        CellId = Spec.CellId, Task = "sst2", Model = "minilm", Method = "lora-attn[r=10]", Status = status,
        Metrics = accuracy is { } a ? new Dictionary<string, double> { ["accuracy"] = a } : new Dictionary<string, double>(),
        Budget = new BudgetReport { PaperCount = 1234, TrainableCount = 1300, Percent = 0.49 }, TrainSeconds = 3.5,
    };

    [Fact]
    public void SucceededEntryCarriesCanonicalMethodProfileAndScore()
    {
        var e = LeaderboardMath.ToEntry(Spec, Result(TrialStatus.Succeeded, 0.875))!;
        Assert.Equal(Spec.CellId, e.CellId);
        Assert.Equal(CellIdentity.Method("lora-attn", "minilm", 0.5), e.Method);
        Assert.Equal("e=2;n=2000;v=;t=128;b=32;lr=", e.Profile);
        Assert.Equal((0.875, "accuracy", false, 1), (e.Score, e.Metric, e.Diverged, e.Run));
        Assert.Equal((0.5, 7, 1234L, 0.49, 3.5), (e.Tier!.Value, e.Seed, e.PaperCount, e.Percent, e.TrainSeconds));
    }

    [Fact]
    public void CellsOnDifferentDataAreDifferentRows()
    {
        var a = Spec with { Data = "train.tsv:3689813:d5f96c38d2bf5d6f;dev.tsv:116283:ef90ece61df13b1e" };
        var b = Spec with { Data = "train.tsv:3689813:d5f96c38d2bf5d6f;dev.tsv:116284:0123456789abcdef" };
        var ea = LeaderboardMath.ToEntry(a, Result(TrialStatus.Succeeded, 0.8) with { CellId = a.CellId })!;
        var eb = LeaderboardMath.ToEntry(b, Result(TrialStatus.Succeeded, 0.6) with { CellId = b.CellId })!;
        Assert.StartsWith("e=2;n=2000;v=;t=128;b=32;lr=;data=", ea.Profile, StringComparison.Ordinal);
        Assert.Equal(ea.Profile.Length, eb.Profile.Length);
        Assert.NotEqual(ea.Profile, eb.Profile);
        var view = LeaderboardMath.Build("sst2", "minilm", [ea, eb]);
        Assert.Equal(2, view.Tiers.Single().Rows.Count);
        Assert.All(view.Tiers.Single().Rows, r => Assert.Equal(1, r.Seeds));
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void NonFiniteScoreIsADivergedEntryWithNaNScore(double score)
    {
        var e = LeaderboardMath.ToEntry(Spec, Result(TrialStatus.Succeeded, score))!;
        Assert.True(e.Diverged);
        Assert.True(double.IsNaN(e.Score));
        Assert.True(LeaderboardMath.IsDiverged(e));
    }

    [Fact]
    public void DivergedResultIsAnEntryEvenWithoutMetrics()
    {
        var e = LeaderboardMath.ToEntry(Spec, Result(TrialStatus.Diverged, null) with { Error = "loss became NaN at step 12" })!;
        Assert.True(e.Diverged);
        Assert.True(double.IsNaN(e.Score));
        Assert.Equal("accuracy", e.Metric);
        var withScore = LeaderboardMath.ToEntry(Spec, Result(TrialStatus.Diverged, 0.51))!;   // best epoch before divergence: not ranked
        Assert.True(withScore.Diverged && double.IsNaN(withScore.Score));
        var xsum = LeaderboardMath.ToEntry(Spec with { Task = "xsum" }, Result(TrialStatus.Diverged, null) with { Task = "xsum" })!;
        Assert.Equal("rouge2", xsum.Metric);   // the task's primary metric names the column even without a value
    }

    [Theory]
    [InlineData(TrialStatus.Succeeded, 0.9, false)]
    [InlineData(TrialStatus.Succeeded, double.NaN, true)]
    [InlineData(TrialStatus.Succeeded, double.NegativeInfinity, true)]
    [InlineData(TrialStatus.Diverged, 0.9, true)]
    [InlineData(TrialStatus.Failed, double.NaN, false)]
    public void ResultIsDivergedExactlyWhenItsEntryIs(TrialStatus status, double accuracy, bool diverged)
    {
        var result = Result(status, accuracy);
        Assert.Equal(diverged, LeaderboardMath.IsDiverged(result));
        Assert.Equal(diverged, LeaderboardMath.ToEntry(Spec, result)?.Diverged ?? false);
    }

    [Theory]
    [InlineData(TrialStatus.Failed)]
    [InlineData(TrialStatus.Cancelled)]
    public void FailedAndCancelledResultsAreNoEntries(TrialStatus status) =>
        Assert.Null(LeaderboardMath.ToEntry(Spec, Result(status, 0.9)));

    [Fact]
    public void SucceededWithoutMetricsIsNoEntry() => Assert.Null(LeaderboardMath.ToEntry(Spec, Result(TrialStatus.Succeeded, null)));

    [Fact]
    public void CachedMethodIsKeyedByModelAndTier()
    {
        foreach (var tier in new double?[] { 0.1, 0.5, 0.1, null, 0.5 })
        {
            foreach (var model in new[] { "minilm", "bert-base-uncased" })
            {
                var spec = Spec with { BudgetPercent = tier, Model = model };
                Assert.Equal(CellIdentity.Method("lora-attn", model, tier), LeaderboardMath.ToEntry(spec, Result(TrialStatus.Succeeded, 0.8))!.Method);
            }
        }
        Assert.NotEqual(CellIdentity.Method("lora-attn", "minilm", 0.1), CellIdentity.Method("lora-attn", "minilm", 0.5));
    }
}
