using PeftGrid.Peft.Catalog;
using PeftGrid.Tasks.Text;

namespace PeftGrid.Tasks.Tests.Text;

public class Seq2SeqTokenizersTests
{
    private static string Roberta => Path.Combine(TestData.Root, "tokenizers", "roberta-base");

    [Fact]
    public void Each_encoder_decoder_gets_its_tokenizer_kind()
    {
        var minilm = Seq2SeqTokenizers.For(ModelCatalog.MiniLm2MiniLm, null);
        Assert.IsType<WordPieceSeq2SeqEncoder>(minilm);
        Assert.Equal(101, minilm.DecoderStartId);
        var fromFolder = Seq2SeqTokenizers.For(ModelCatalog.MiniLm2MiniLm, Path.Combine(TestData.Root, "tokenizers", "bert-base-uncased"));
        Assert.Equal(minilm.EncodeSource("Hello, World!", 16), fromFolder.EncodeSource("Hello, World!", 16));
        var bart = Seq2SeqTokenizers.For(ModelCatalog.BartLarge, Roberta);
        Assert.Equal(TokenizerKind.ByteLevelBpe, bart.Kind);
        Assert.Equal([0, 31414, 232, 2], bart.EncodeSource("Hello world", 1024));
    }

    [Fact]
    public void Mbart_reads_the_folder_model_with_its_languages()
    {
        var folder = Path.GetDirectoryName(SmallSentencePieceModel.ModelPath)!; // holds sentence.bpe.model (fairseq's name)
        var mbart = Assert.IsType<MBartSentencePieceEncoder>(Seq2SeqTokenizers.For(ModelCatalog.MBartLargeCc25, folder));
        Assert.Equal(("en_XX", "ro_RO"), (mbart.SourceLanguage, mbart.TargetLanguage));
        var roEn = Seq2SeqTokenizers.For(ModelCatalog.MBartLargeCc25, folder, "ro_RO", "en_XX");
        Assert.Equal(mbart.SourceLanguageId, roEn.DecoderStartId);
        var e = Assert.Throws<ArgumentException>(() => Seq2SeqTokenizers.For(ModelCatalog.MBartLargeCc25, folder, "en", "ro_RO"));
        Assert.StartsWith("unknown source language code 'en'; allowed: ar_AR, ", e.Message);
    }

    [Fact]
    public void Bad_requests_are_clear_errors()
    {
        Assert.StartsWith("model 'minilm' is an encoder (Encoder); a seq2seq tokenizer needs an encoder-decoder model",
            Assert.Throws<ArgumentException>(() => Seq2SeqTokenizers.For(ModelCatalog.MiniLM, null)).Message);
        Assert.StartsWith("model 'bart-large' needs a tokenizer folder holding vocab.json and merges.txt",
            Assert.Throws<ArgumentException>(() => Seq2SeqTokenizers.For(ModelCatalog.BartLarge, null)).Message);
        Assert.StartsWith("model 'mbart-large-cc25' needs a tokenizer folder holding sentencepiece.bpe.model",
            Assert.Throws<ArgumentException>(() => Seq2SeqTokenizers.For(ModelCatalog.MBartLargeCc25, null)).Message);
        Assert.StartsWith("model 'bart-base' has no language codes",
            Assert.Throws<ArgumentException>(() => Seq2SeqTokenizers.For(ModelCatalog.BartBase, Roberta, "en_XX")).Message);
        Assert.Contains("holds neither sentencepiece.bpe.model nor sentence.bpe.model",
            Assert.Throws<FileNotFoundException>(() => Seq2SeqTokenizers.For(ModelCatalog.MBartLargeCc25, Roberta)).Message);
    }
}
