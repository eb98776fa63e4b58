using PeftGrid.Tasks.Metrics;

namespace PeftGrid.Tasks.Tests.Metrics;

public class BleuTests
{
    [Fact]
    public void PerfectHypothesisIs100()
    {
        var s = Bleu.Corpus(["The quick brown fox jumps over the lazy dog."], ["The quick brown fox jumps over the lazy dog."]);
        Assert.Equal(100, s.Score, 1e-9);
        Assert.Equal(1, s.BrevityPenalty);
        Assert.Equal("nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.4.0", s.Signature);
    }

    [Fact]
    public void TwoSentenceCorpusMatchesHandDerivation()
    {
        // 1: hyp "the cat sat on the mat" / ref "the cat sat on a mat"
        //    1-grams 5/6 (the clipped to 1), 2-grams 3/5 (the cat, cat sat, sat on), 3-grams 2/4, 4-grams 1/3 (the cat sat on)
        // 2: hyp "a dog barked" / ref "the dog barked loudly"
        //    1-grams 2/3, 2-grams 1/2 (dog barked), 3-grams 0/1, 4-grams 0/0
        // corpus: m = [7, 4, 2, 1], t = [9, 7, 5, 3]; c = 9, r = 10 -> BP = exp(1 - 10/9)
        // BLEU = exp(-1/9) * exp((ln(700/9) + ln(400/7) + ln 40 + ln(100/3)) / 4) = 44.15034607719597
        var s = Bleu.Corpus(["the cat sat on the mat", "a dog barked"], ["the cat sat on a mat", "the dog barked loudly"]);
        Assert.Equal(44.15034607719597, s.Score, 1e-6);
        Assert.Equal(Math.Exp(-1.0 / 9), s.BrevityPenalty, 1e-12);
        Assert.Equal([700.0 / 9, 400.0 / 7, 40, 100.0 / 3], s.Precisions.ToArray(), new ToleranceComparer(1e-9));
        Assert.Equal(9, s.HypothesisLength);
        Assert.Equal(10, s.ReferenceLength);
        Assert.Equal(0.9, s.Ratio, 1e-12);
    }

    [Fact]
    public void ExpSmoothingGivesTheKthZeroOrder100Over2PowKTimesTotal()
    {
        // hyp "a b c d e" / ref "a b x d e": 1-grams 4/5 = 80, 2-grams 2/4 = 50 (a b, d e),
        // 3-grams 0/3 -> first zero: 100/(2*3) = 16.667, 4-grams 0/2 -> second zero: 100/(4*2) = 12.5; BP = 1
        // BLEU = exp((ln 80 + ln 50 + ln(50/3) + ln 12.5)/4) = 30.213753973567677
        var s = Bleu.Corpus(["a b c d e"], ["a b x d e"]);
        Assert.Equal(30.213753973567677, s.Score, 1e-6);
        Assert.Equal(12.5, s.Precisions[3], 1e-12);
        // smooth none (the paper's -s none): a zero order gives BLEU 0
        Assert.Equal(0, Bleu.Corpus(["a b c d e"], ["a b x d e"], BleuTokenizer.None, BleuSmoothing.None).Score, 1e-9);
    }

    [Theory]
    [InlineData("Hello, world!", "Hello , world !")]
    [InlineData("It costs $5,000.50 today.", "It costs $ 5,000.50 today .")]   // , and . inside numbers stay; $ (0x24) is spaced
    [InlineData("well-known 1990-2000", "well-known 1990 - 2000")]             // '-' split only after a digit
    [InlineData("&quot;Yes&quot; &amp; no", "\" Yes \" & no")]                 // entities unescaped, then spaced
    [InlineData("don't (really)", "don't ( really )")]                          // apostrophe is not in 13a's symbol set
    [InlineData("U.S.A.", "U . S . A .")]
    public void Tokenizer13aExamples(string input, string expected) => Assert.Equal(expected, Tokenizer13a.Tokenize(input));

    [Fact]
    public void UnequalCountsAreRefused() =>
        Assert.Contains("1 hypotheses for 2 references", Assert.Throws<ArgumentException>(() => Bleu.Corpus(["a"], ["a", "b"])).Message);

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;
        public int GetHashCode(double obj) => 0;
    }
}
