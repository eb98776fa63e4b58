using PeftGrid.Tasks.Text;

namespace PeftGrid.Tasks.Tests.Text;

// The model is SmallSentencePieceModel (4,000 pieces, trained by the test setup), so the language codes sit at 4,001 … 4,025.
public class MBartSentencePieceEncoderTests
{
    private static readonly Lazy<MBartSentencePieceEncoder> Lazy = new(() => MBartSentencePieceEncoder.FromFile(SmallSentencePieceModel.ModelPath));
    private static MBartSentencePieceEncoder MBart => Lazy.Value;

    private const int EnXx = SmallSentencePieceModel.Pieces + 1 + 3, RoRo = SmallSentencePieceModel.Pieces + 1 + 19;

    [Fact]
    public void Fairseq_layout_puts_language_codes_after_the_pieces_then_mask()
    {
        Assert.Equal(SmallSentencePieceModel.Pieces, MBart.PieceCount);
        Assert.Equal((0, 1, 2, 3), (MBart.BosId, MBart.PadId, MBart.EosId, MBart.UnknownId));
        Assert.Equal((EnXx, RoRo), (MBart.SourceLanguageId, MBart.TargetLanguageId));
        Assert.Equal(4001, MBart.LanguageId("ar_AR"));
        Assert.Equal(4025, MBart.LanguageId("zh_CN"));
        Assert.Equal((4026, 4027), (MBart.MaskId, MBart.VocabularySize));
        Assert.Equal(25, MBartSentencePieceEncoder.LanguageCodes.Count);
    }

    [Fact]
    public void Source_ends_eos_src_lang_and_labels_end_eos_tgt_lang_and_the_decoder_starts_with_tgt_lang()
    {
        var source = MBart.EncodeSource("Hello world", 64);
        var labels = MBart.EncodeTarget("Bună ziua", 64);
        Assert.Equal([2, EnXx], source[^2..]);
        Assert.Equal([2, RoRo], labels[^2..]);
        Assert.Equal(MBart.Pieces("Hello world"), source[..^2]);
        Assert.Equal(RoRo, MBart.DecoderStartId);
        Assert.Null(MBart.ForcedBosId);
        Assert.Equal([RoRo, .. labels[..^1]], MBart.DecoderInput(labels));
        Assert.Equal("Hello world", MBart.Decode(source));
        Assert.Equal("Bună ziua", MBart.Decode(MBart.DecoderInput(labels)));
    }

    [Fact]
    public void Other_languages_move_the_codes()
    {
        var deFr = MBart.WithLanguages("de_DE", "fr_XX");
        Assert.Equal([2, 4003], deFr.EncodeSource("Hallo", 16)[^2..]);
        Assert.Equal(4008, deFr.DecoderStartId);
    }

    [Fact]
    public void Unknown_language_code_is_a_one_line_error_listing_the_codes()
    {
        var e = Assert.Throws<ArgumentException>(() => MBart.WithLanguages("en_US", "ro_RO"));
        Assert.StartsWith("unknown source language code 'en_US'; allowed: ar_AR, cs_CZ, de_DE, en_XX, es_XX, et_EE, fi_FI, fr_XX, gu_IN, "
                          + "hi_IN, it_IT, ja_XX, kk_KZ, ko_KR, lt_LT, lv_LV, my_MM, ne_NP, nl_XX, ro_RO, ru_RU, si_LK, tr_TR, vi_VN, zh_CN", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        Assert.Contains("unknown target language code 'ro'", Assert.Throws<ArgumentException>(() => MBart.WithLanguages("en_XX", "ro")).Message);
    }

    [Fact]
    public void A_file_that_is_no_sentencepiece_model_is_rejected()
    {
        var path = Path.Combine(Path.GetTempPath(), "peftgrid-not-a-model-" + Guid.NewGuid().ToString("N")[..8]);
        File.WriteAllText(path, "vocab.json is not a SentencePiece model");
        try
        {
            Assert.Throws<InvalidDataException>(() => MBartSentencePieceEncoder.FromFile(path));
        }
        finally
        {
            File.Delete(path);
        }
        Assert.Contains("does not exist", Assert.Throws<FileNotFoundException>(() => MBartSentencePieceEncoder.FromFile("/nonexistent.model")).Message);
    }

    [Fact]
    public void Characters_outside_the_model_fall_back_to_byte_pieces()
    {
        // '🤗' = UTF-8 F0 9F A4 97; byte piece <0xXX> is SentencePiece id 3 + XX, model id 4 + XX.
        var ids = MBart.Pieces("🤗");
        Assert.Equal([0xF0 + 4, 0x9F + 4, 0xA4 + 4, 0x97 + 4], ids.Skip(1));
        Assert.Equal("🤗 €", MBart.Decode(MBart.EncodeSource("🤗 €", 64)));
    }

    [Fact]
    public void Truncation_keeps_eos_and_the_language_code()
    {
        var full = MBart.EncodeSource("A fost o zi frumoasă în București.", 64);
        var cut = MBart.EncodeSource("A fost o zi frumoasă în București.", 5);
        Assert.Equal([.. full[..3], 2, EnXx], cut);
        Assert.StartsWith("maxLength must be at least 3", Assert.Throws<ArgumentException>(() => MBart.EncodeTarget("x", 2)).Message);
    }

    [Fact]
    public void Decode_can_show_special_tokens_as_words()
    {
        Assert.Equal("Hello world </s> en_XX", MBart.Decode(MBart.EncodeSource("Hello world", 64), skipSpecialTokens: false));
        Assert.Equal("<s> x <mask>", MBart.Decode([0, .. MBart.Pieces("x"), MBart.MaskId], skipSpecialTokens: false));
    }

    // Edge cases of whitespace normalization and merging, against spm_encode: one character (Microsoft.ML.Tokenizers 2.0.1's
    // normalizer drops it), extra spaces (removed), a tab (kept: identity rules), bytes, a tie between equal-score merges.
    [Fact]
    public void Edge_cases_match_spm_encode()
    {
        string[] texts = ["x", "  Hello   world  ", "a\tb", "🤗 ok", "copiii,", "   ", "ăîșț ĂÎȘȚ", "2016-01-01 12:30"];
        var reference = SmallSentencePieceModel.Run("spm_encode", [$"--model={SmallSentencePieceModel.ModelPath}", "--output_format=id"],
            stdin: string.Join('\n', texts) + "\n").Split('\n')[..texts.Length];
        for (var i = 0; i < texts.Length; i++)
        {
            var expected = reference[i].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(id => int.Parse(id) + 1);
            Assert.True(expected.SequenceEqual(MBart.Pieces(texts[i])), $"'{texts[i]}': [{string.Join(", ", MBart.Pieces(texts[i]))}], spm_encode + 1: [{string.Join(", ", expected)}]");
        }
        Assert.Equal("Hello world", MBart.Decode(MBart.Pieces("  Hello   world  ")));
        Assert.Equal("x", MBart.Decode(MBart.Pieces("x")));
        Assert.Empty(MBart.Pieces("   "));
        Assert.False(MBart.HasNormalizationRules);
    }

    // Every en and ro sentence of the shared en-ro text: ids are spm_encode's + 1 (SentencePiece's own BPE, the reference HF
    // MBartTokenizer calls), and decode(encode(x)) = x. About 1 s.
    [Fact]
    public void Every_en_ro_sentence_matches_spm_encode_and_round_trips()
    {
        var sentences = SmallSentencePieceModel.Sentences;
        Assert.Equal(3998, sentences.Count);
        var reference = SmallSentencePieceModel.Run("spm_encode", [$"--model={SmallSentencePieceModel.ModelPath}", "--output_format=id"],
            stdin: string.Join('\n', sentences) + "\n").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(sentences.Count, reference.Length);
        for (var i = 0; i < sentences.Count; i++)
        {
            var expected = reference[i].Split(' ').Select(id => int.Parse(id) + 1).ToArray();
            Assert.True(expected.SequenceEqual(MBart.Pieces(sentences[i])), $"sentence {i} '{sentences[i]}': ids differ from spm_encode");
            Assert.Equal(sentences[i], MBart.Decode(MBart.EncodeTarget(sentences[i], int.MaxValue)));
        }
    }
}
