using PeftGrid.Tasks.Text;

namespace PeftGrid.Tasks.Tests.Text;

public class CanonicalDecompositionTests
{
    [Theory]
    [InlineData("caf\u00e9", "cafe\u0301")]              // é → e + COMBINING ACUTE
    [InlineData("\u212B", "A\u030A")]                    // ANGSTROM SIGN → Å → A + COMBINING RING (singleton, then expanded)
    [InlineData("\u1E69", "s\u0323\u0307")]              // ṩ → s + dot below (220) + dot above (230)
    [InlineData("a\u0301\u0316", "a\u0316\u0301")]       // canonical order: grave below (220) before acute (230)
    [InlineData("\uD55C", "\u1112\u1161\u11AB")]         // 한 → ᄒ ᅡ ᆫ (algorithmic Hangul)
    [InlineData("\uAC00", "\u1100\u1161")]               // 가 has no trailing consonant
    [InlineData("\uD835\uDC9C", "\uD835\uDC9C")]         // 𝒜 (supplementary, no canonical decomposition)
    public void Decomposes_like_unicode_nfd(string text, string expected) =>
        Assert.Equal(expected, CanonicalDecomposition.Decompose(text));

    [Fact]
    public void Text_below_U_00C0_is_returned_as_is_and_the_data_is_unicode_14()
    {
        const string ascii = "plain ASCII, `quotes` & symbols $+=";
        Assert.Same(ascii, CanonicalDecomposition.Decompose(ascii));
        Assert.Equal("14.0.0", CanonicalDecomposition.UnicodeVersion);
        Assert.Equal(230, CanonicalDecomposition.CombiningClass(0x301));
        Assert.Equal(220, CanonicalDecomposition.CombiningClass(0x316));
        Assert.Equal(0, CanonicalDecomposition.CombiningClass('e'));
    }
}
