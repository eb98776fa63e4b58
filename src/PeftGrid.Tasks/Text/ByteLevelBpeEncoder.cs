using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;
using PeftGrid.Peft.Catalog;

namespace PeftGrid.Tasks.Text;

/// <summary>
/// BART's tokenizer (HF <c>BartTokenizer</c>, the same byte-level BPE as RoBERTa/GPT-2) over <c>vocab.json</c> + <c>merges.txt</c>:
/// GPT-2's pre-tokenization regex, bytes mapped to printable characters, ranked merges (Microsoft.ML.Tokenizers'
/// <see cref="BpeTokenizer"/> with <c>ByteLevel = true</c>). No implicit leading space (<c>add_prefix_space=False</c>):
/// "Hello world" → <c>[0, 31414, 232, 2]</c>. Special tokens written in the text (<c>&lt;s&gt;</c>, <c>&lt;pad&gt;</c>,
/// <c>&lt;/s&gt;</c>, <c>&lt;unk&gt;</c>, <c>&lt;mask&gt;</c>, case-sensitive) keep their ids; <c>&lt;mask&gt;</c> swallows the
/// whitespace before it (HF <c>lstrip=True</c>). Source and labels are both <c>&lt;s&gt; x &lt;/s&gt;</c> (HF <c>text_target</c>);
/// the decoder starts with <c>&lt;/s&gt;</c> 2 and generation forces <c>&lt;s&gt;</c> 0 first (bart-large <c>config.json</c>).
/// Decoding is lossless: decode(encode(x)) = x for every text without special-token strings.
/// </summary>
public sealed class ByteLevelBpeEncoder : ISeq2SeqTokenizer
{
    /// <summary>The vocabulary file name of an HF BART/RoBERTa tokenizer folder.</summary>
    public const string VocabFile = "vocab.json";
    /// <summary>The merges file name of an HF BART/RoBERTa tokenizer folder.</summary>
    public const string MergesFile = "merges.txt";

    // GPT-2's pre-tokenization (HF ByteLevel pre-tokenizer with use_regex=True).
    private static readonly Regex Gpt2Split = new(@"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+",
        RegexOptions.Compiled | RegexOptions.CultureInvariant);

    private readonly BpeTokenizer _bpe;
    private readonly (string Text, int Id, bool LeftStrip)[] _special;
    private readonly HashSet<int> _specialIds;

    private ByteLevelBpeEncoder(BpeTokenizer bpe)
    {
        _bpe = bpe;
        VocabularySize = bpe.Vocabulary.Count;
        BosId = Id("<s>");
        PadId = Id("<pad>");
        EosId = Id("</s>");
        UnknownId = Id("<unk>");
        MaskId = Id("<mask>");
        _special = [("<s>", BosId, false), ("<pad>", PadId, false), ("</s>", EosId, false), ("<unk>", UnknownId, false), ("<mask>", MaskId, true)];
        _specialIds = [.. _special.Select(s => s.Id)];
    }

    private int Id(string token) => _bpe.Vocabulary.TryGetValue(token, out var id)
        ? id
        : throw new InvalidDataException($"{VocabFile} has no special token '{token}' (needs <s>, <pad>, </s>, <unk>, <mask>)");

    /// <summary>Loads <c>vocab.json</c> and <c>merges.txt</c> from an HF tokenizer or checkpoint folder
    /// (e.g. <c>data/tokenizers/roberta-base</c>, or a bart-large checkpoint folder).</summary>
    /// <exception cref="FileNotFoundException">A file is missing; the message names it.</exception>
    /// <exception cref="InvalidDataException">The vocabulary lacks a special token.</exception>
    public static ByteLevelBpeEncoder FromFolder(string folder) =>
        FromFiles(Path.Combine(folder, VocabFile), Path.Combine(folder, MergesFile));

    /// <summary>Loads a GPT-2-format vocabulary (JSON token → id) and merges file (<c>#version</c> line, then "a b" per rank).</summary>
    /// <exception cref="FileNotFoundException">A file is missing; the message names it.</exception>
    /// <exception cref="InvalidDataException">The vocabulary lacks a special token.</exception>
    public static ByteLevelBpeEncoder FromFiles(string vocabPath, string mergesPath)
    {
        foreach (var path in new[] { vocabPath, mergesPath })
        {
            if (!File.Exists(path)) throw new FileNotFoundException($"byte-level BPE file '{path}' does not exist", path);
        }
        var options = new BpeOptions(vocabPath, mergesPath) { ByteLevel = true, PreTokenizer = new RegexPreTokenizer(Gpt2Split, null) };
        return new ByteLevelBpeEncoder(BpeTokenizer.Create(options));
    }

    /// <inheritdoc/>
    public TokenizerKind Kind => TokenizerKind.ByteLevelBpe;
    /// <inheritdoc/>
    public int VocabularySize { get; }
    /// <inheritdoc/>
    public int PadId { get; }
    /// <inheritdoc/>
    public int EosId { get; }
    /// <summary><c>&lt;s&gt;</c> id (0).</summary>
    public int BosId { get; }
    /// <summary><c>&lt;unk&gt;</c> id (3).</summary>
    public int UnknownId { get; }
    /// <summary><c>&lt;mask&gt;</c> id (50,264).</summary>
    public int MaskId { get; }
    /// <inheritdoc/>
    public int DecoderStartId => EosId;
    /// <inheritdoc/>
    public int? ForcedBosId => BosId;
    /// <inheritdoc/>
    public int MinMaxLength => 3;

    /// <summary>BPE ids of <paramref name="text"/>, no <c>&lt;s&gt;</c>/<c>&lt;/s&gt;</c> added.</summary>
    public IReadOnlyList<int> Pieces(string text)
    {
        var ids = new List<int>();
        var start = 0;
        while (start < text.Length)
        {
            var (at, special) = NextSpecial(text, start);
            var end = at;
            if (special >= 0 && _special[special].LeftStrip) while (end > start && char.IsWhiteSpace(text[end - 1])) end--;
            if (end > start) ids.AddRange(_bpe.EncodeToIds(text[start..end], considerPreTokenization: true, considerNormalization: false));
            if (special < 0) break;
            ids.Add(_special[special].Id);
            start = at + _special[special].Text.Length;
        }
        return ids;
    }

    // The first special token at or after start: (index, index into _special), or (text.Length, -1).
    private (int At, int Special) NextSpecial(string text, int start)
    {
        var best = (At: text.Length, Special: -1);
        for (var s = 0; s < _special.Length; s++)
        {
            var at = text.IndexOf(_special[s].Text, start, StringComparison.Ordinal);
            if (at >= 0 && at < best.At) best = (at, s);
        }
        return best;
    }

    /// <inheritdoc/>
    public int[] EncodeSource(string text, int maxLength) =>
        Seq2SeqLayout.Frame([BosId], Pieces(text), [EosId], maxLength, MinMaxLength);

    /// <inheritdoc/>
    public int[] EncodeTarget(string text, int maxLength) => EncodeSource(text, maxLength);

    /// <inheritdoc/>
    public int[] DecoderInput(IReadOnlyList<int> labels) => Seq2SeqLayout.ShiftRight(labels, DecoderStartId);

    /// <inheritdoc/>
    public string Decode(IEnumerable<int> ids, bool skipSpecialTokens = true)
    {
        var list = Seq2SeqLayout.Checked(ids, VocabularySize);
        if (skipSpecialTokens) list.RemoveAll(_specialIds.Contains);
        return _bpe.Decode(list, considerSpecialTokens: true);
    }

    /// <inheritdoc/>
    public bool IsSpecial(int id) => _specialIds.Contains(id);
}
