using PeftGrid.Tasks.Text;

namespace PeftGrid.Tasks.Tests.Text;

public class WordPieceSeq2SeqEncoderTests
{
    private static readonly WordPieceSeq2SeqEncoder MiniLm = WordPieceSeq2SeqEncoder.MiniLm();

    [Fact]
    public void Source_is_cls_text_sep_and_labels_are_text_sep()
    {
        // "Hello, World!" = hello 7592 , 1010 world 2088 ! 999
        Assert.Equal([101, 7592, 1010, 2088, 999, 102], MiniLm.EncodeSource("Hello, World!", 64));
        var labels = MiniLm.EncodeTarget("Hello, World!", 64);
        Assert.Equal([7592, 1010, 2088, 999, 102], labels);
        Assert.Equal([101, 7592, 1010, 2088, 999], MiniLm.DecoderInput(labels));
        Assert.Equal((101, 102, 0, 30522), (MiniLm.DecoderStartId, MiniLm.EosId, MiniLm.PadId, MiniLm.VocabularySize));
        Assert.Null(MiniLm.ForcedBosId);
    }

    [Theory]
    [InlineData("Hello, World!", "hello, world!")]
    [InlineData("unaffable embeddings", "unaffable embeddings")] // un ##aff ##able em ##bed ##ding ##s
    [InlineData("Isn't it playing?", "isn't it playing?")]       // isn ' t … ? : " ' " and " ?" cleaned up
    [InlineData("Café, naïve.", "cafe, naive.")]                  // lossy: lower-cased, accents stripped
    public void Decode_merges_word_pieces_and_cleans_up_spaces_like_hf(string text, string expected)
    {
        Assert.Equal(expected, MiniLm.Decode(MiniLm.EncodeSource(text, 64)));
    }

    [Fact]
    public void Decode_can_show_special_tokens_and_rejects_unknown_ids()
    {
        Assert.Equal("[CLS] hello, world! [SEP]", MiniLm.Decode(MiniLm.EncodeSource("Hello, World!", 64), skipSpecialTokens: false));
        Assert.Equal("hello", MiniLm.Decode([101, 7592, 102, 0, 0]));
        var e = Assert.Throws<ArgumentException>(() => MiniLm.Decode([30522]));
        Assert.StartsWith("token id 30522 is outside the vocabulary [0, 30522)", e.Message);
    }

    [Fact]
    public void Truncation_keeps_the_trailing_sep()
    {
        Assert.Equal([101, 7592, 102], MiniLm.EncodeSource("Hello, World!", 3));
        Assert.Equal([7592, 1010, 102], MiniLm.EncodeTarget("Hello, World!", 3));
        Assert.Throws<ArgumentException>(() => MiniLm.EncodeTarget("Hello", 2));
    }
}
