using Microsoft.ML.Tokenizers;
using PeftGrid.Peft.Catalog;

namespace PeftGrid.Tasks.Text;

/// <summary>
/// mBART's tokenizer (HF <c>MBartTokenizer</c> for mbart-large-cc25) over a SentencePiece BPE model: fairseq's id layout
/// <c>&lt;s&gt;</c> 0, <c>&lt;pad&gt;</c> 1, <c>&lt;/s&gt;</c> 2, <c>&lt;unk&gt;</c> 3, SentencePiece piece p ≥ 3 → p + 1
/// (<c>fairseq_offset</c> = 1; the model's own <c>&lt;unk&gt;</c> → 3), then the 25 language codes
/// (<see cref="LanguageCodes"/>) at <c>PieceCount + 1 + index</c>, then <c>&lt;mask&gt;</c>; vocabulary size =
/// <c>PieceCount + 27</c> (250,027 for cc25's 250,000 pieces). Source <c>x &lt;/s&gt; src_lang</c>, labels
/// <c>y &lt;/s&gt; tgt_lang</c>, decoder start = the target language code (so the decoder input is <c>tgt_lang y &lt;/s&gt;</c>).
/// Encoding is <see cref="SentencePieceBpeModel"/> (whitespace normalization and merges id-identical to <c>spm_encode</c>),
/// decoding Microsoft.ML.Tokenizers' <see cref="SentencePieceTokenizer"/> (bytes joined, <c>▁</c> → space). Not applied: a
/// model's precompiled normalization rules (cc25's <c>nmt_nfkc</c>, see <see cref="HasNormalizationRules"/>; the library
/// does not read them either). With a model trained with <c>--byte_fallback</c> and identity normalization,
/// decode(encode(x)) = x for text without leading, trailing or repeated spaces.
/// </summary>
public sealed class MBartSentencePieceEncoder : ISeq2SeqTokenizer
{
    /// <summary>HF's file name for the SentencePiece model in an mBART folder.</summary>
    public const string ModelFile = "sentencepiece.bpe.model";
    /// <summary>fairseq's file name for it (accepted too).</summary>
    public const string FairseqModelFile = "sentence.bpe.model";
    /// <summary>Shift from SentencePiece ids to model ids (HF <c>fairseq_offset</c>).</summary>
    public const int FairseqOffset = 1;

    /// <summary>mbart-large-cc25's 25 language codes in id order (HF <c>FAIRSEQ_LANGUAGE_CODES</c>).</summary>
    public static IReadOnlyList<string> LanguageCodes => Codes;

    private static readonly string[] Codes =
    [
        "ar_AR", "cs_CZ", "de_DE", "en_XX", "es_XX", "et_EE", "fi_FI", "fr_XX", "gu_IN", "hi_IN", "it_IT", "ja_XX", "kk_KZ",
        "ko_KR", "lt_LT", "lv_LV", "my_MM", "ne_NP", "nl_XX", "ro_RO", "ru_RU", "si_LK", "tr_TR", "vi_VN", "zh_CN",
    ];

    private readonly SentencePieceTokenizer _sp;
    private readonly SentencePieceBpeModel _model;

    private MBartSentencePieceEncoder(SentencePieceTokenizer sp, SentencePieceBpeModel model, string source, string target)
    {
        _sp = sp;
        _model = model;
        SourceLanguageId = LanguageId(source, "source");
        TargetLanguageId = LanguageId(target, "target");
        SourceLanguage = source;
        TargetLanguage = target;
    }

    /// <summary>Loads a SentencePiece BPE model file.</summary>
    /// <param name="modelPath">The <c>.model</c> file.</param>
    /// <param name="sourceLanguage">Source language code (HF <c>src_lang</c>), one of <see cref="LanguageCodes"/>.</param>
    /// <param name="targetLanguage">Target language code (HF <c>tgt_lang</c>), one of <see cref="LanguageCodes"/>.</param>
    /// <exception cref="FileNotFoundException">The file is missing.</exception>
    /// <exception cref="InvalidDataException">Not a SentencePiece model.</exception>
    /// <exception cref="ArgumentException">An unknown language code; the message lists the allowed ones.</exception>
    public static MBartSentencePieceEncoder FromFile(string modelPath, string sourceLanguage = "en_XX", string targetLanguage = "ro_RO")
    {
        if (!File.Exists(modelPath)) throw new FileNotFoundException($"SentencePiece model '{modelPath}' does not exist", modelPath);
        var bytes = File.ReadAllBytes(modelPath);
        var model = new SentencePieceBpeModel(bytes);
        using var stream = new MemoryStream(bytes);
        var sp = SentencePieceTokenizer.Create(stream, addBeginningOfSentence: false, addEndOfSentence: false);
        return new MBartSentencePieceEncoder(sp, model, sourceLanguage, targetLanguage);
    }

    /// <summary>Loads <see cref="ModelFile"/> (or <see cref="FairseqModelFile"/>) from an mBART tokenizer or checkpoint folder.</summary>
    /// <exception cref="FileNotFoundException">Neither file exists; the message names both.</exception>
    /// <exception cref="ArgumentException">An unknown language code.</exception>
    public static MBartSentencePieceEncoder FromFolder(string folder, string sourceLanguage = "en_XX", string targetLanguage = "ro_RO")
    {
        var path = new[] { ModelFile, FairseqModelFile }.Select(f => Path.Combine(folder, f)).FirstOrDefault(File.Exists)
            ?? throw new FileNotFoundException($"folder '{folder}' holds neither {ModelFile} nor {FairseqModelFile}");
        return FromFile(path, sourceLanguage, targetLanguage);
    }

    /// <summary>The same model with another language pair (shares the loaded model).</summary>
    /// <exception cref="ArgumentException">An unknown language code.</exception>
    public MBartSentencePieceEncoder WithLanguages(string sourceLanguage, string targetLanguage) => new(_sp, _model, sourceLanguage, targetLanguage);

    /// <summary>The id of a language code: <c>PieceCount + FairseqOffset + index</c> (cc25: ar_AR 250,001 … en_XX 250,004, ro_RO 250,020).</summary>
    /// <exception cref="ArgumentException">Not one of <see cref="LanguageCodes"/>; the message lists them.</exception>
    public int LanguageId(string code, string field = "language")
    {
        var index = Array.IndexOf(Codes, code);
        if (index < 0) throw new ArgumentException($"unknown {field} language code '{code}'; allowed: {string.Join(", ", Codes)}");
        return PieceCount + FairseqOffset + index;
    }

    /// <summary>Source language code (HF <c>src_lang</c>).</summary>
    public string SourceLanguage { get; }
    /// <summary>Target language code (HF <c>tgt_lang</c>).</summary>
    public string TargetLanguage { get; }
    /// <summary>Id of <see cref="SourceLanguage"/>.</summary>
    public int SourceLanguageId { get; }
    /// <summary>Id of <see cref="TargetLanguage"/>.</summary>
    public int TargetLanguageId { get; }
    /// <summary>True if the model carries precompiled normalization rules (e.g. cc25's <c>nmt_nfkc</c>) that encoding does not apply.</summary>
    public bool HasNormalizationRules => _model.HasNormalizationRules;
    /// <summary>Number of SentencePiece pieces (HF <c>sp_model_size</c>; 250,000 for cc25).</summary>
    public int PieceCount => _model.Count;
    /// <summary><c>&lt;s&gt;</c> id (0).</summary>
    public int BosId => 0;
    /// <summary><c>&lt;unk&gt;</c> id (3).</summary>
    public int UnknownId => 3;
    /// <summary><c>&lt;mask&gt;</c> id: <c>PieceCount + 26</c> (250,026 for cc25).</summary>
    public int MaskId => PieceCount + FairseqOffset + LanguageCodes.Count;

    /// <inheritdoc/>
    public TokenizerKind Kind => TokenizerKind.SentencePiece;
    /// <inheritdoc/>
    public int VocabularySize => MaskId + 1;
    /// <inheritdoc/>
    public int PadId => 1;
    /// <inheritdoc/>
    public int EosId => 2;
    /// <inheritdoc/>
    public int DecoderStartId => TargetLanguageId;
    /// <inheritdoc/>
    public int? ForcedBosId => null;
    /// <inheritdoc/>
    public int MinMaxLength => 3;

    /// <summary>Model ids of <paramref name="text"/>'s pieces (no <c>&lt;/s&gt;</c> or language code).</summary>
    public IReadOnlyList<int> Pieces(string text)
    {
        var normalized = _model.Normalize(text);
        var ids = new List<int>();
        _model.Encode(normalized, ids);
        for (var i = 0; i < ids.Count; i++) ids[i] = ids[i] == _model.UnknownId ? UnknownId : ids[i] + FairseqOffset;
        return ids;
    }

    /// <inheritdoc/>
    public int[] EncodeSource(string text, int maxLength) =>
        Seq2SeqLayout.Frame([], Pieces(text), [EosId, SourceLanguageId], maxLength, MinMaxLength);

    /// <inheritdoc/>
    public int[] EncodeTarget(string text, int maxLength) =>
        Seq2SeqLayout.Frame([], Pieces(text), [EosId, TargetLanguageId], maxLength, MinMaxLength);

    /// <inheritdoc/>
    public int[] DecoderInput(IReadOnlyList<int> labels) => Seq2SeqLayout.ShiftRight(labels, DecoderStartId);

    /// <summary>Text of <paramref name="ids"/>: pieces decoded by SentencePiece (bytes joined, <c>▁</c> → space, the leading
    /// space dropped); with <paramref name="skipSpecialTokens"/> false, each special token stands as its own word, joined by
    /// spaces (HF <c>spaces_between_special_tokens</c>): <c>Hello &lt;/s&gt; en_XX</c>.</summary>
    /// <exception cref="ArgumentException">An id outside [0, <see cref="VocabularySize"/>).</exception>
    public string Decode(IEnumerable<int> ids, bool skipSpecialTokens = true)
    {
        var parts = new List<string>();
        var run = new List<int>();
        foreach (var id in Seq2SeqLayout.Checked(ids, VocabularySize))
        {
            if (!IsSpecial(id)) { run.Add(id - FairseqOffset); continue; }
            if (skipSpecialTokens) continue;
            Flush();
            parts.Add(SpecialText(id));
        }
        Flush();
        return string.Join(' ', parts);

        void Flush()
        {
            if (run.Count > 0) parts.Add(_sp.Decode(run, considerSpecialTokens: false));
            run.Clear();
        }
    }

    private string SpecialText(int id) => id switch
    {
        0 => "<s>", 1 => "<pad>", 2 => "</s>", 3 => "<unk>",
        _ when id == MaskId => "<mask>",
        _ => LanguageCodes[id - PieceCount - FairseqOffset],
    };

    /// <inheritdoc/>
    public bool IsSpecial(int id) => id <= UnknownId || id > PieceCount;
}
