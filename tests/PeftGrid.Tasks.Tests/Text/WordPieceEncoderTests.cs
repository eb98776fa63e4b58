using PeftGrid.Tasks.Data;
using PeftGrid.Tasks.Text;

namespace PeftGrid.Tasks.Tests.Text;

public class WordPieceEncoderTests
{
    private static readonly WordPieceEncoder Encoder = WordPieceEncoder.MiniLm();

    [Fact]
    public void Special_token_ids_are_the_bert_uncased_ones()
    {
        Assert.Equal(101, Encoder.ClsId);
        Assert.Equal(102, Encoder.SepId);
        Assert.Equal(0, Encoder.PadId);
    }

    [Theory]
    [InlineData("Hello, World!", new[] { 101, 7592, 1010, 2088, 999, 102 })]
    [InlineData("unaffable embeddings", new[] { 101, 14477, 20961, 3468, 7861, 8270, 4667, 2015, 102 })]
    [InlineData("isn't playing", new[] { 101, 3475, 1005, 1056, 2652, 102 })]
    public void Single_sentence_matches_known_bert_base_uncased_ids(string text, int[] expected)
    {
        var e = Encoder.Encode(text, null, label: 1, maxLength: 64);
        Assert.Equal(expected, e.InputIds);
        Assert.All(e.TokenTypeIds, t => Assert.Equal(0, t));
        Assert.Equal(1, e.Label);
    }

    [Fact]
    public void Embedded_minilm_vocab_encodes_like_the_shared_bert_base_uncased_vocab()
    {
        var fromFile = WordPieceEncoder.FromVocabFile(Path.Combine(TestData.Root, "tokenizers", "bert-base-uncased", "vocab.txt"));
        var sentences = GlueTsvReader.ReadDev(TestData.Root, GlueTask.Mnli).Take(300).ToList();
        foreach (var s in sentences)
        {
            Assert.Equal(fromFile.Encode(s.Text, s.TextPair, s.Label, 128).InputIds, Encoder.Encode(s.Text, s.TextPair, s.Label, 128).InputIds);
        }
    }

    [Fact]
    public void Pair_has_segment_ids_and_two_separators()
    {
        var e = Encoder.Encode("Hello", "world", 0, 32);
        Assert.Equal(new[] { 101, 7592, 102, 2088, 102 }, e.InputIds);
        Assert.Equal(new[] { 0, 0, 0, 1, 1 }, e.TokenTypeIds);
    }

    [Fact]
    public void Pair_truncation_is_longest_first()
    {
        // a = 6 words, b = 2 words; max 8 → budget 5: drop from a until a=3 (3+2=5).
        var e = Encoder.Encode("the the the the the the", "hello world", 0, 8);
        Assert.Equal(new[] { 101, 1996, 1996, 1996, 102, 7592, 2088, 102 }, e.InputIds);
        Assert.Equal(new[] { 0, 0, 0, 0, 0, 1, 1, 1 }, e.TokenTypeIds);
        // equal lengths: the tie drops from b first → a=3, b=2.
        var tie = Encoder.Encode("the the the", "world world world", 0, 8);
        Assert.Equal(new[] { 101, 1996, 1996, 1996, 102, 2088, 2088, 102 }, tie.InputIds);
    }

    [Fact]
    public void Single_truncation_keeps_cls_and_sep_and_every_real_example_fits()
    {
        var e = Encoder.Encode(string.Join(' ', Enumerable.Repeat("hello", 20)), null, 0, 8);
        Assert.Equal(new[] { 101, 7592, 7592, 7592, 7592, 7592, 7592, 102 }, e.InputIds);
        var train = GlueTsvReader.ReadTrain(TestData.Root, GlueTask.Mnli).Take(2000);
        var encoded = Encoder.EncodeAll(train, 32);
        Assert.All(encoded, x => Assert.InRange(x.Length, 4, 32));
        Assert.Contains(encoded, x => x.Length == 32); // truncation really happened
    }

    [Theory]
    [InlineData(7)]
    [InlineData(0)]
    public void Max_length_below_8_is_rejected(int maxLength)
    {
        var e = Assert.Throws<ArgumentException>(() => Encoder.Encode("hello", null, 0, maxLength));
        Assert.Contains("at least 8", e.Message);
    }
}
