using PeftGrid.Tasks.Text;

namespace PeftGrid.Tasks.Tests.Text;

public class BertBasicTokenizerTests
{
    [Fact]
    public void Lower_cases_strips_accents_and_splits_punctuation()
    {
        Assert.Equal(["hello", ",", "world", "!", "cafe", "-", "creme"], BertBasicTokenizer.Tokenize("Héllo, WÖRLD! Café-crème"));
    }

    [Fact]
    public void Line_and_paragraph_separators_split_words_like_python_str_split()
    {
        Assert.Equal(["a", "b", "c"], BertBasicTokenizer.Tokenize("a\u2028b\u2029c"));
    }

    [Fact]
    public void Cased_mode_keeps_case_and_accents()
    {
        Assert.Equal(["Café", "Ωmega", "."], BertBasicTokenizer.Tokenize("Café Ωmega.", lowerCase: false));
    }

    [Theory]
    [InlineData('!', true)]
    [InlineData('`', true)]        // Sk, but ASCII 91–96
    [InlineData('\u00BF', true)]   // ¿ Po
    [InlineData('\u2014', true)]   // — Pd
    [InlineData('\u20AC', false)]  // € Sc
    [InlineData('\u2603', false)]  // ☃ So
    public void Punctuation_is_ascii_ranges_or_category_p(char c, bool expected) =>
        Assert.Equal(expected, BertBasicTokenizer.IsPunctuation(new System.Text.Rune(c)));
}
