using PeftGrid.Peft.Catalog;

namespace PeftGrid.Tasks.Text;

/// <summary>Builds the <see cref="ISeq2SeqTokenizer"/> of an encoder-decoder from its catalog entry's <see cref="TokenizerKind"/>.</summary>
public static class Seq2SeqTokenizers
{
    /// <summary>mBART's default source language (HF <c>MBartTokenizer</c>'s <c>src_lang</c> default; the paper's en-ro task).</summary>
    public const string DefaultSourceLanguage = "en_XX";
    /// <summary>mBART's default target language (the paper's en-ro task).</summary>
    public const string DefaultTargetLanguage = "ro_RO";

    /// <summary>
    /// The tokenizer of <paramref name="entry"/>: <see cref="TokenizerKind.WordPieceUncased"/> → <see cref="WordPieceSeq2SeqEncoder"/>
    /// (the folder's <c>vocab.txt</c>, or MiniLM's bundled vocabulary when no folder is given);
    /// <see cref="TokenizerKind.ByteLevelBpe"/> → <see cref="ByteLevelBpeEncoder"/> (the folder's <c>vocab.json</c> + <c>merges.txt</c>,
    /// e.g. a BART checkpoint folder or <c>data/tokenizers/roberta-base</c>); <see cref="TokenizerKind.SentencePiece"/> →
    /// <see cref="MBartSentencePieceEncoder"/> (the folder's <c>sentencepiece.bpe.model</c> or <c>sentence.bpe.model</c>).
    /// </summary>
    /// <param name="entry">An encoder-decoder catalog entry (or one built from a checkpoint's <c>config.json</c>).</param>
    /// <param name="tokenizerFolder">The folder holding the tokenizer files; required except for WordPiece.</param>
    /// <param name="sourceLanguage">mBART source language code (default <see cref="DefaultSourceLanguage"/>); must be null for other models.</param>
    /// <param name="targetLanguage">mBART target language code (default <see cref="DefaultTargetLanguage"/>); must be null for other models.</param>
    /// <exception cref="ArgumentException">An encoder-only model, a missing folder, a language for a model without language codes, or an unknown language code.</exception>
    /// <exception cref="FileNotFoundException">A tokenizer file is missing from the folder.</exception>
    public static ISeq2SeqTokenizer For(ModelEntry entry, string? tokenizerFolder, string? sourceLanguage = null, string? targetLanguage = null)
    {
        if (entry.Family != ModelFamily.EncoderDecoder)
        {
            throw new ArgumentException($"model '{entry.Name}' is an encoder ({entry.Family}); a seq2seq tokenizer needs an encoder-decoder model");
        }
        if (entry.Tokenizer != TokenizerKind.SentencePiece && (sourceLanguage is not null || targetLanguage is not null))
        {
            throw new ArgumentException($"model '{entry.Name}' has no language codes ({entry.Tokenizer} tokenizer); source/target language apply to mBART only");
        }
        return entry.Tokenizer switch
        {
            TokenizerKind.WordPieceUncased => tokenizerFolder is null
                ? WordPieceSeq2SeqEncoder.MiniLm()
                : new WordPieceSeq2SeqEncoder(WordPieceEncoder.FromVocabFile(Path.Combine(tokenizerFolder, WordPieceSeq2SeqEncoder.VocabFile))),
            TokenizerKind.ByteLevelBpe => ByteLevelBpeEncoder.FromFolder(Folder(entry, tokenizerFolder, $"{ByteLevelBpeEncoder.VocabFile} and {ByteLevelBpeEncoder.MergesFile}")),
            TokenizerKind.SentencePiece => MBartSentencePieceEncoder.FromFolder(Folder(entry, tokenizerFolder, MBartSentencePieceEncoder.ModelFile),
                sourceLanguage ?? DefaultSourceLanguage, targetLanguage ?? DefaultTargetLanguage),
            _ => throw new ArgumentException($"model '{entry.Name}' has tokenizer kind {entry.Tokenizer}, which has no seq2seq tokenizer; allowed: " +
                                             string.Join(", ", Enum.GetNames<TokenizerKind>()), nameof(entry)),
        };
    }

    private static string Folder(ModelEntry entry, string? folder, string files) =>
        folder ?? throw new ArgumentException($"model '{entry.Name}' needs a tokenizer folder holding {files}: pass its checkpoint folder as the model, or the folder as the tokenizer (CLI: --tokenizer DIR; BART's byte-level BPE files are in ../shared/data/tokenizers/roberta-base)");
}
