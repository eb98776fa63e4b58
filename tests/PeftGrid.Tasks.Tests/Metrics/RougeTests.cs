using PeftGrid.Tasks.Metrics;

namespace PeftGrid.Tasks.Tests.Metrics;

public class RougeTests
{
    private const double Tol = 1e-9;

    [Fact]
    public void StemmingOnAndOffDifferOnASuffix()
    {
        // pred [the, cats, sat], ref [the, cat, sat]. Stemmed: "cats" (4 chars) -> "cat", "cat" (3 chars) untouched: identical -> 100 for all.
        var on = Rouge.Score(["The cats sat"], ["The cat sat"], useStemmer: true);
        Assert.Equal(100, on.Rouge1, Tol);
        Assert.Equal(100, on.Rouge2, Tol);
        Assert.Equal(100, on.RougeL, Tol);
        // Unstemmed: unigram matches {the, sat} = 2 of 3 each side -> P = R = F = 2/3 -> 66.666...;
        // bigrams (the cats)(cats sat) vs (the cat)(cat sat): 0 matches -> 0; LCS "the sat" = 2 -> 66.666...
        var off = Rouge.Score(["The cats sat"], ["The cat sat"], useStemmer: false);
        Assert.Equal(200.0 / 3, off.Rouge1, Tol);
        Assert.Equal(0, off.Rouge2, Tol);
        Assert.Equal(200.0 / 3, off.RougeL, Tol);
    }

    [Fact]
    public void RougeLAndLsumDifferOnReorderedSentences()
    {
        // ref tokens: the fire spread quick(ly) | polic(e) arrest(ed) two men ; pred has the two sentences swapped.
        // ROUGE-L over the whole text: LCS = 4 of 8 tokens -> P = R = 0.5 -> 50.
        // ROUGE-Lsum: each ref sentence's union LCS with the pred sentences covers it fully -> 8 hits of 8 -> 100.
        // ROUGE-1 = 100; ROUGE-2: ref has 7 bigrams, pred shares all but "quick polic" -> 6/7 -> 85.714...
        const string reference = "The fire spread quickly. Police arrested two men.";
        const string prediction = "Police arrested two men. The fire spread quickly.";
        var s = Rouge.Score([prediction], [reference]);
        Assert.Equal(50, s.RougeL, Tol);
        Assert.Equal(100, s.RougeLsum, Tol);
        Assert.Equal(100, s.Rouge1, Tol);
        Assert.Equal(600.0 / 7, s.Rouge2, Tol);
    }

    [Fact]
    public void TokenisesByWordsNeverCharacters()
    {
        // "abc" and "cab" share every character but no word -> 0 everywhere.
        var s = Rouge.Score(["abc"], ["cab"]);
        Assert.Equal(0, s.Rouge1, Tol);
        Assert.Equal(0, s.RougeL, Tol);
        // Punctuation and case are not part of words: "Hello, WORLD!" == "hello world" -> 100.
        Assert.Equal(100, Rouge.Score(["Hello, WORLD!"], ["hello world"]).Rouge2, Tol);
        Assert.Equal(["it", "s", "a", "test", "42"], Rouge.Tokenize("It's a TEST-42", useStemmer: false));
    }

    [Fact]
    public void MeanOverPairs()
    {
        // pair 1 identical (100), pair 2 disjoint (0) -> mean 50 for ROUGE-1.
        var s = Rouge.Score(["a b", "c d"], ["a b", "e f"]);
        Assert.Equal(50, s.Rouge1, Tol);
    }

    [Fact]
    public void SentenceSplitterKeepsAbbreviations()
    {
        Assert.Equal(["Dr. Jones met U.S. officials on Monday.", "They talked for 2 hours!", "\"Fine,\" he said."],
            SentenceSplitter.Split("  Dr. Jones met U.S. officials on Monday. They talked for 2 hours! \"Fine,\" he said.  "));
        Assert.Equal("Mr. J. Smith arrived.\nHe left.", Rouge.PrepareForLsum("Mr. J. Smith arrived. He left."));
    }

    [Fact]
    public void UnequalCountsAreRefused() =>
        Assert.Contains("2 predictions for 1 references", Assert.Throws<ArgumentException>(() => Rouge.Score(["a", "b"], ["a"])).Message);
}
