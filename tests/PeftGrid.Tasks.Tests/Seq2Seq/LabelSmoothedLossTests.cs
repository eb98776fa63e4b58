using PeftGrid.Tasks.Seq2Seq;
using TorchSharp;
using static TorchSharp.torch;

namespace PeftGrid.Tasks.Tests.Seq2Seq;

/// <summary>The label-smoothed token loss against hand computations (HF <c>LabelSmoother</c>) and torch's cross-entropy.</summary>
public class LabelSmoothedLossTests
{
    // One sequence of two positions over a vocabulary of 3 (B = 1, T = 2, V = 3):
    //   position 0: logits (0, 0, 0)      → p = (1/3, 1/3, 1/3), label 0: −log p[label] = ln 3, Σ_v −log p[v] = 3 ln 3
    //   position 1: logits (0, ln 2, 0)   → p = (1/4, 1/2, 1/4), label 1: −log p[label] = ln 2, Σ_v −log p[v] = 2 ln 4 + ln 2 = 5 ln 2
    private static Tensor Logits() => torch.tensor(new float[] { 0, 0, 0, 0, MathF.Log(2), 0 }, [1, 2, 3]);

    [Fact]
    public void Equals_the_hand_computation_on_a_one_by_two_by_three_example()
    {
        using var scope = torch.NewDisposeScope();
        var labels = torch.tensor(new long[] { 0, 1 }, [1, 2]);
        // N = 2 active positions: nll = (ln 3 + ln 2) / 2 = 0.895880; smooth = (3 ln 3 + 5 ln 2) / (2 · 3) = 1.126929
        // ε = 0.1: 0.9 · 0.895880 + 0.1 · 1.126929 = 0.918985
        var expected = 0.9 * (Math.Log(3) + Math.Log(2)) / 2 + 0.1 * (3 * Math.Log(3) + 5 * Math.Log(2)) / 6;
        Assert.Equal(0.918985, expected, 6);
        Assert.Equal(expected, LabelSmoothedLoss.Compute(Logits(), labels, 0.1).item<float>(), 5);
        // ε = 0: the plain nll 0.895880
        Assert.Equal(0.895880, LabelSmoothedLoss.Compute(Logits(), labels, 0).item<float>(), 5);
    }

    [Fact]
    public void Ignored_positions_count_neither_in_the_sums_nor_in_the_token_count()
    {
        using var scope = torch.NewDisposeScope();
        var labels = torch.tensor(new long[] { 0, LabelSmoothedLoss.IgnoreIndex }, [1, 2]);
        // only position 0: nll = ln 3, smooth = 3 ln 3 / (1 · 3) = ln 3, so the loss is ln 3 = 1.098612 for every ε
        Assert.Equal(1.098612, LabelSmoothedLoss.Compute(Logits(), labels, 0.1).item<float>(), 5);
        Assert.Equal(1.098612, LabelSmoothedLoss.Compute(Logits(), labels, 0.5).item<float>(), 5);
        var (sum, tokens) = LabelSmoothedLoss.Sum(Logits(), labels);
        Assert.Equal((1.098612, 1L), (Math.Round(sum, 6), tokens));
    }

    [Fact]
    public void Epsilon_zero_equals_cross_entropy_with_ignore_index_minus_100_and_the_gradient_flows()
    {
        using var scope = torch.NewDisposeScope();
        var generator = new Generator(7);
        var logits = torch.randn([2, 5, 7], generator: generator).requires_grad_();
        var labels = torch.tensor(new long[] { 3, 0, 6, -100, -100, 1, 1, 2, 5, -100 }, [2, 5]);
        var ours = LabelSmoothedLoss.Compute(logits, labels, 0);
        var torchs = nn.functional.cross_entropy(logits.reshape(-1, 7), labels.reshape(-1), ignore_index: -100);
        Assert.Equal(torchs.item<float>(), ours.item<float>(), 5);
        var (sum, tokens) = LabelSmoothedLoss.Sum(logits, labels);
        Assert.Equal(7, tokens);
        Assert.Equal(torchs.item<float>() * 7, sum, 4);
        ours.backward();
        Assert.True(logits.grad!.abs().sum().item<float>() > 0);
        // smoothing moves the loss: ε = 0.1 differs from ε = 0 on random logits
        Assert.NotEqual(ours.item<float>(), LabelSmoothedLoss.Compute(logits, labels, 0.1).item<float>(), 3);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void Bad_epsilon_is_an_error_naming_the_range(double epsilon)
    {
        using var scope = torch.NewDisposeScope();
        var e = Assert.Throws<ArgumentException>(() => LabelSmoothedLoss.Compute(Logits(), torch.tensor(new long[] { 0, 1 }, [1, 2]), epsilon));
        Assert.StartsWith("label smoothing must be in [0, 1)", e.Message);
    }

    [Fact]
    public void All_positions_ignored_or_mismatched_shapes_are_errors()
    {
        using var scope = torch.NewDisposeScope();
        Assert.Throws<ArgumentException>(() => LabelSmoothedLoss.Compute(Logits(), torch.tensor(new long[] { -100, -100 }, [1, 2]), 0.1));
        Assert.Throws<ArgumentException>(() => LabelSmoothedLoss.Compute(Logits(), torch.tensor(new long[] { 0, 1, 2 }, [1, 3]), 0.1));
    }
}
