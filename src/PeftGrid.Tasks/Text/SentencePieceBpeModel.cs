using System.Text;

namespace PeftGrid.Tasks.Text;

/// <summary>
/// SentencePiece's BPE segmentation (google/sentencepiece <c>bpe_model.cc</c>) over a <c>.model</c> file's pieces: the
/// normalized text is split into characters (user-defined pieces kept whole), then the adjacent pair whose concatenation
/// is a piece with the highest score is merged, the leftmost first on equal scores, until no pair is a piece; unused
/// pieces are split back into their parts; a symbol that is no piece becomes its UTF-8 byte pieces (<c>byte_fallback</c>)
/// or one <c>&lt;unk&gt;</c> per run. The ids equal <c>spm_encode --output_format=id</c>'s. It exists because
/// Microsoft.ML.Tokenizers' <c>SentencePieceTokenizer</c> (2.0.1 and 3.0.0) breaks score ties differently and gives other
/// ids for about 0.5% of the shared en-ro sentences (e.g. "copiii"), and its normalizer drops one-character texts;
/// decoding stays the library's.
/// </summary>
internal sealed class SentencePieceBpeModel
{
    // sentencepiece_model.proto ModelProto.SentencePiece.Type
    private const int Normal = 1, Unknown = 2, Control = 3, UserDefined = 4, Unused = 5, Byte = 6;

    private readonly Dictionary<string, (int Id, float Score, int Type)> _pieces = new(StringComparer.Ordinal);
    private readonly string[] _userDefined;
    private readonly int[] _byteIds = new int[256];

    /// <summary>Number of pieces (ids 0 … Count − 1).</summary>
    public int Count { get; }
    /// <summary>Id of the unknown piece.</summary>
    public int UnknownId { get; }
    /// <summary>True if the model has the 256 byte pieces <c>&lt;0x00&gt;</c> … <c>&lt;0xFF&gt;</c>.</summary>
    public bool ByteFallback { get; }

    /// <summary>Reads the pieces of a serialized <c>ModelProto</c>.</summary>
    /// <exception cref="InvalidDataException">Not a SentencePiece model, not a BPE one, or one with no unknown piece.</exception>
    public SentencePieceBpeModel(byte[] model)
    {
        var id = 0;
        var unknown = -1;
        var userDefined = new List<string>();
        Array.Fill(_byteIds, -1);
        var modelType = 1; // TrainerSpec.model_type: UNIGRAM = 1 (the default), BPE = 2
        var reader = new ProtoReader(model);
        while (reader.Next(out var field, out var wire))
        {
            if (field == 2 && wire == 2) { (modelType, TreatWhitespaceAsSuffix) = ReadTrainerSpec(reader.Bytes(), modelType); continue; }
            if (field == 3 && wire == 2) { ReadNormalizerSpec(reader.Bytes()); continue; }
            if (field != 1 || wire != 2) { reader.Skip(wire); continue; }
            var (piece, score, type) = ReadPiece(reader.Bytes());
            if (!_pieces.TryAdd(piece, (id, score, type))) throw new InvalidDataException($"SentencePiece model has the piece '{piece}' twice");
            if (type == Unknown) unknown = id;
            if (type == UserDefined) userDefined.Add(piece);
            if (type == Byte && piece.Length == 6 && piece.StartsWith("<0x", StringComparison.Ordinal)) _byteIds[Convert.ToInt32(piece[3..5], 16)] = id;
            id++;
        }
        if (id == 0 || unknown < 0) throw new InvalidDataException("not a SentencePiece model: no pieces or no unknown piece");
        if (modelType != 2) throw new InvalidDataException($"SentencePiece model type {modelType} is not BPE (2); mBART's model is BPE");
        Count = id;
        UnknownId = unknown;
        ByteFallback = Array.TrueForAll(_byteIds, b => b >= 0);
        _userDefined = [.. userDefined.OrderByDescending(p => p.Length)];
    }

    // TrainerSpec: model_type = 3, treat_whitespace_as_suffix = 24.
    private static (int ModelType, bool Suffix) ReadTrainerSpec(ReadOnlyMemory<byte> bytes, int modelType)
    {
        var reader = new ProtoReader(bytes);
        var suffix = false;
        while (reader.Next(out var field, out var wire))
        {
            if (field == 3 && wire == 0) modelType = (int)reader.Varint();
            else if (field == 24 && wire == 0) suffix = reader.Varint() != 0;
            else reader.Skip(wire);
        }
        return (modelType, suffix);
    }

    // NormalizerSpec: precompiled_charsmap = 2, add_dummy_prefix = 3, remove_extra_whitespaces = 4, escape_whitespaces = 5.
    private void ReadNormalizerSpec(ReadOnlyMemory<byte> bytes)
    {
        var reader = new ProtoReader(bytes);
        while (reader.Next(out var field, out var wire))
        {
            if (field == 2 && wire == 2) HasNormalizationRules = reader.Bytes().Length > 0;
            else if (field == 3 && wire == 0) AddDummyPrefix = reader.Varint() != 0;
            else if (field == 4 && wire == 0) RemoveExtraWhitespaces = reader.Varint() != 0;
            else if (field == 5 && wire == 0) EscapeWhitespaces = reader.Varint() != 0;
            else reader.Skip(wire);
        }
    }

    /// <summary>Prepends <c>▁</c> to the text (<c>add_dummy_prefix</c>).</summary>
    public bool AddDummyPrefix { get; private set; } = true;
    /// <summary>Drops leading, trailing and repeated spaces (<c>remove_extra_whitespaces</c>).</summary>
    public bool RemoveExtraWhitespaces { get; private set; } = true;
    /// <summary>Writes spaces as <c>▁</c> (<c>escape_whitespaces</c>).</summary>
    public bool EscapeWhitespaces { get; private set; } = true;
    /// <summary>The whitespace mark goes after a word instead of before it (<c>treat_whitespace_as_suffix</c>).</summary>
    public bool TreatWhitespaceAsSuffix { get; }
    /// <summary>True if the model carries a precompiled normalization table (e.g. <c>nmt_nfkc</c>), which <see cref="Normalize"/> does not apply.</summary>
    public bool HasNormalizationRules { get; private set; }

    /// <summary>
    /// SentencePiece's whitespace normalization (<c>normalizer.cc</c>, identity rules): without leading/trailing/repeated
    /// spaces (<see cref="RemoveExtraWhitespaces"/>), spaces as <c>▁</c>, and a <c>▁</c> prefix (or suffix); empty for a text of
    /// spaces only. (Microsoft.ML.Tokenizers 2.0.1's normalizer returns an empty string for a one-character text.)
    /// </summary>
    public string Normalize(string text)
    {
        var space = EscapeWhitespaces ? '\u2581' : ' ';
        var body = new StringBuilder(text.Length + 1);
        var previousSpace = RemoveExtraWhitespaces; // drops leading spaces
        foreach (var c in text)
        {
            if (c == ' ')
            {
                if (previousSpace && RemoveExtraWhitespaces) continue;
                body.Append(space);
                previousSpace = true;
            }
            else
            {
                body.Append(c);
                previousSpace = false;
            }
        }
        if (RemoveExtraWhitespaces) while (body.Length > 0 && body[^1] == space) body.Length--;
        if (body.Length == 0) return "";
        if (AddDummyPrefix)
        {
            if (TreatWhitespaceAsSuffix) body.Append(space);
            else body.Insert(0, space);
        }
        return body.ToString();
    }

    private static (string Piece, float Score, int Type) ReadPiece(ReadOnlyMemory<byte> bytes)
    {
        var reader = new ProtoReader(bytes);
        var (piece, score, type) = ("", 0f, Normal);
        while (reader.Next(out var field, out var wire))
        {
            if (field == 1 && wire == 2) piece = Encoding.UTF8.GetString(reader.Bytes().Span);
            else if (field == 2 && wire == 5) score = reader.Float();
            else if (field == 3 && wire == 0) type = (int)reader.Varint();
            else reader.Skip(wire);
        }
        return (piece, score, type);
    }

    /// <summary>Appends the piece ids of an already normalized text (<c>▁</c> for spaces, dummy prefix added).</summary>
    public void Encode(string normalized, List<int> ids)
    {
        var symbols = Split(normalized);
        var agenda = new PriorityQueue<(int Left, int Right, int Length), (float Score, int Left)>(Order.Instance);
        Dictionary<string, (string Left, string Right)>? reverse = null;
        for (var i = 1; i < symbols.Count; i++) Push(i - 1, i);
        while (agenda.TryDequeue(out var top, out _))
        {
            var (l, r) = (symbols[top.Left], symbols[top.Right]);
            if (l.Length == 0 || r.Length == 0 || l.Length + r.Length != top.Length) continue; // stale
            symbols[top.Left] = l with { Length = top.Length, Next = r.Next };
            if (r.Next >= 0) symbols[r.Next] = symbols[r.Next] with { Prev = top.Left };
            symbols[top.Right] = r with { Length = 0 };
            Push(symbols[top.Left].Prev, top.Left);
            Push(top.Left, symbols[top.Left].Next);
        }
        var previousUnknown = false;
        for (var i = 0; i >= 0 && symbols.Count > 0; i = symbols[i].Next)
        {
            Emit(normalized.Substring(symbols[i].Start, symbols[i].Length));
        }

        void Push(int left, int right)
        {
            if (left < 0 || right < 0 || symbols[left].Frozen || symbols[right].Frozen) return;
            var text = normalized.AsSpan(symbols[left].Start, symbols[left].Length + symbols[right].Length);
            var lookup = _pieces.GetAlternateLookup<ReadOnlySpan<char>>();
            if (!lookup.TryGetValue(text, out var piece) || piece.Type is not (Normal or UserDefined or Unused)) return;
            agenda.Enqueue((left, right, text.Length), (piece.Score, left));
            if (piece.Type == Unused)
            {
                reverse ??= new(StringComparer.Ordinal);
                reverse[text.ToString()] = (normalized.Substring(symbols[left].Start, symbols[left].Length),
                    normalized.Substring(symbols[right].Start, symbols[right].Length));
            }
        }

        void Emit(string piece)
        {
            if (_pieces.TryGetValue(piece, out var p) && p.Type == Unused && reverse is not null && reverse.TryGetValue(piece, out var parts))
            {
                Emit(parts.Left);
                Emit(parts.Right);
                return;
            }
            if (_pieces.TryGetValue(piece, out p) && p.Type != Unknown)
            {
                ids.Add(p.Id);
                previousUnknown = false;
            }
            else if (ByteFallback)
            {
                foreach (var b in Encoding.UTF8.GetBytes(piece)) ids.Add(_byteIds[b]);
            }
            else if (!previousUnknown)
            {
                ids.Add(UnknownId); // spm merges a run of unknown symbols into one <unk>
                previousUnknown = true;
            }
        }
    }

    private record struct Symbol(int Start, int Length, int Prev, int Next, bool Frozen);

    // One symbol per character (a surrogate pair is one character), a user-defined piece as one frozen symbol.
    private List<Symbol> Split(string text)
    {
        var symbols = new List<Symbol>(text.Length);
        var at = 0;
        while (at < text.Length)
        {
            var length = char.IsSurrogatePair(text, at) ? 2 : 1;
            var frozen = false;
            foreach (var piece in _userDefined)
            {
                if (string.CompareOrdinal(text, at, piece, 0, piece.Length) == 0) { length = piece.Length; frozen = true; break; }
            }
            symbols.Add(new Symbol(at, length, symbols.Count - 1, at + length < text.Length ? symbols.Count + 1 : -1, frozen));
            at += length;
        }
        return symbols;
    }

    // Highest score first; on equal scores the leftmost pair (spm SymbolPairComparator).
    private sealed class Order : IComparer<(float Score, int Left)>
    {
        public static readonly Order Instance = new();
        public int Compare((float Score, int Left) a, (float Score, int Left) b) =>
            a.Score != b.Score ? b.Score.CompareTo(a.Score) : a.Left.CompareTo(b.Left);
    }
}
