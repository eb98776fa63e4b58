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

    // The cases below are Hugging Face's BertTokenizer (do_lower_case=True, tokenize_chinese_chars=True,
    // strip_accents=None) worked by hand; ids are 0-based line numbers of tokenizers/bert-base-uncased/vocab.txt.
    [Theory]
    // Accents: lower-case, NFD, drop the non-spacing marks (U+0301, U+0308): café → cafe 7668, naïve → naive 15743,
    // résumé → resume 13746. (The vocabulary has no 'é' and no '##é', so without stripping each word is [UNK] 100.)
    [InlineData("Café naïve résumé", new[] { 7668, 15743, 13746 })]
    // A decomposed accent (e + U+0301) strips the same way; 'été' → 'ete' → et 3802, ##e 2063.
    [InlineData(@"e\u0301t\u00e9", new[] { 3802, 2063 })]
    // Symbols outside the vocabulary become [UNK] 100 (☃ U+2603 is not a line of vocab.txt); symbols in it keep
    // their id (€ 1574, ¥ 1071). None of them is punctuation (category So/Sc), so '5€' stays one word: 5 1019, ##€ 30102.
    [InlineData("snow ☃ € ¥ 5€", new[] { 4586, 100, 1574, 1071, 1019, 30102 })]
    // ASCII 33–47, 58–64, 91–96 and 123–126 are punctuation for HF even where Unicode says symbol (` $ + = are Sk/Sc/Sm):
    // each is its own token — ` 1036, best 2190, man 2158, ' 1005, costs 5366, $ 1002, 5 1019, + 1009, x 1060, = 1027, y 1061.
    [InlineData("`` best man '' costs $5+x=y", new[] { 1036, 1036, 2190, 2158, 1005, 1005, 5366, 1002, 1019, 1009, 1060, 1027, 1061 })]
    // CJK ideographs are split one per token (日 1864, 本 1876, 語 1950, 中 1746, 文 1861) even without spaces.
    [InlineData("日本語中文a", new[] { 1864, 1876, 1950, 1746, 1861, 1037 })]
    // Cleaning: tab → space, NUL, U+FFFD and the format char U+200B (category Cf) are dropped: 'a bcde' → a 1037,
    // bcde → bc 4647 ##de 3207.
    [InlineData(@"a\tb\u0000c\u200Bd\uFFFDe", new[] { 1037, 4647, 3207 })]
    // Python's str.lower(): a word-final capital sigma lower-cases to ς, so 'ΟΔΟΣ' → 'οδος' → ο 1169 ##δ 29722 ##ος 15297.
    [InlineData("ΟΔΟΣ", new[] { 1169, 29722, 15297 })]
    // İ (U+0130) lower-cases to i + U+0307, whose mark is then stripped: istanbul 9960.
    [InlineData("İstanbul", new[] { 9960 })]
    // Hangul syllables decompose (NFD) into conjoining jamo: 한 → ᄒ 1469 ##ᅡ 30006 ##ᆫ 30021.
    [InlineData("한", new[] { 1469, 30006, 30021 })]
    public void Pieces_match_hugging_face_bert_uncased(string escaped, int[] expected)
    {
        var text = System.Text.RegularExpressions.Regex.Unescape(escaped);
        Assert.Equal(expected, Encoder.Pieces(text));
    }

    [Fact]
    public void A_word_over_100_characters_is_unk_and_one_of_100_is_split()
    {
        // HF: max_input_chars_per_word = 100, counted in characters (code points).
        Assert.Equal(new[] { 100 }, Encoder.Pieces(new string('a', 101)));
        // 100 × 'a', greedy longest match: 'aaa' 13360 (no 'aaaa'), then '##aa' 11057 ×48 (no '##aaa'), then '##a' 2050.
        var expected = new[] { 13360 }.Concat(Enumerable.Repeat(11057, 48)).Append(2050);
        Assert.Equal(expected, Encoder.Pieces(new string('a', 100)));
    }

    [Fact]
    public void Special_tokens_written_in_the_text_keep_their_ids()
    {
        // HF matches its special tokens in the raw text before basic tokenization: x 1060, [SEP] 102, y 1061;
        // lower-case '[sep]' is ordinary text: [ 1031, sep 19802, ] 1033.
        Assert.Equal(new[] { 1060, 102, 1061 }, Encoder.Pieces("x [SEP] y"));
        Assert.Equal(new[] { 1031, 19802, 1033 }, Encoder.Pieces("[sep]"));
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
