using PeftGrid.Tasks.Metrics;

namespace PeftGrid.Tasks.Tests.Metrics;

public class RomanianBleuTests
{
    // Same sentence, reference with comma-below ș (U+0219) / ț (U+021B), hypothesis with cedilla ş (U+015F) / ţ (U+0163).
    private const string Reference = "A\u021Bi v\u0103zut \u0219coala noastr\u0103 nou\u0103 ast\u0103zi .";
    private const string Hypothesis = "A\u0163i v\u0103zut \u015Fcoala noastr\u0103 nou\u0103 ast\u0103zi .";

    [Fact]
    public void CedillaAndCommaFormsDifferUnder13aButAreEqualAfterThePaperPipeline()
    {
        // 13a: tokens "Aţi"/"Ați" and "şcoala"/"școala" differ -> 5/7 unigrams, 3/6 bigrams ... -> < 100
        var plain = Bleu.Corpus([Hypothesis], [Reference]);
        Assert.True(plain.Score < 100, $"13a BLEU {plain.Score}");
        // pipeline: normalise-romanian maps ş->ș, ţ->ț, remove-diacritics strips them: both become "Ati vazut scoala noastra noua astazi ."
        Assert.Equal(RomanianBleu.Prepare(Reference), RomanianBleu.Prepare(Hypothesis));
        Assert.Equal("Ati vazut scoala noastra noua astazi .", RomanianBleu.Prepare(Hypothesis));
        var paper = RomanianBleu.Corpus([Hypothesis], [Reference]);
        Assert.Equal(100, paper.Score, 1e-9);
        Assert.StartsWith("wmt16-ro:", paper.Signature);
        Assert.EndsWith("nrefs:1|case:mixed|eff:no|tok:none|smooth:none|version:2.4.0", paper.Signature);
    }

    [Fact]
    public void PipelineNormalisesPunctuationAndTokenises()
    {
        // „ ” -> ", – -> -, diacritics stripped, quotes and comma split, dl. is a Romanian non-breaking prefix, final . split
        Assert.Equal("\" Buna ziua \" , a spus dl. Popescu - in Romania .",
            RomanianBleu.Prepare("\u201EBun\u0103 ziua\u201D, a spus dl. Popescu \u2013 \u00EEn Rom\u00E2nia."));
        // a zero-width space (Cf) becomes a space; full-width ？ becomes ?
        Assert.Equal("Ce ?", RomanianBleu.Prepare("Ce\u200B\uFF1F"));
    }

    [Theory]
    [InlineData("Salut, lume!", "Salut , lume !")]
    [InlineData("A & B \"quoted\" <tag>", "A & B \" quoted \" < tag >")]          // -no-escape: no &amp; &quot; &lt;
    [InlineData("Dl. Popescu a venit.", "Dl. Popescu a venit .")]                // Dl: non-breaking prefix; final period split
    [InlineData("Mr. Smith left.", "Mr . Smith left .")]                           // Mr is not a Romanian prefix, next word upper-case
    [InlineData("the U.S. army", "the U.S. army")]                                 // inner period + letter: kept
    [InlineData("vezi nr. unu", "vezi nr. unu")]                                   // next word lower-case: kept
    [InlineData("5,300 oameni, apoi", "5,300 oameni , apoi")]                      // comma between digits kept
    [InlineData("Stai... ce", "Stai ... ce")]                                      // multi-dots kept together
    [InlineData("l'apa", "l ' apa")]                                               // apostrophe split (not en/fr/it)
    [InlineData("well-known", "well-known")]                                       // no aggressive hyphen splitting
    public void MosesTokenizerExamples(string input, string expected) => Assert.Equal(expected, MosesTokenizer.Tokenize(input));
}
