using System.Text.Json;
using PeftGrid.Models.Seq2Seq;
using PeftGrid.Peft.Budget;
using PeftGrid.Peft.Catalog;

namespace PeftGrid.Models.Bart;

/// <summary>
/// Configuration of a BART or mBART encoder-decoder (HF <c>BartConfig</c> / <c>MBartConfig</c>; <c>config.json</c> fields in
/// brackets). The layout of <see cref="Shape"/> decides the architecture: <see cref="ModelLayout.Bart"/> = post-LN layers,
/// <see cref="ModelLayout.MBart"/> = pre-LN layers with a final <c>layer_norm</c> per stack. LayerNorm eps is 1e-5 (nn.LayerNorm default).
/// Not read: [encoder_layerdrop]/[decoder_layerdrop] (no LayerDrop; 0 in the catalog checkpoints), [init_std] (weights are loaded).
/// </summary>
public sealed record BartConfig
{
    /// <summary>The model types this configuration accepts.</summary>
    public const string AllowedTypes = "bart, mbart";

    /// <summary>A configuration of <paramref name="shape"/> with HF's defaults: dropout 0.1, attention/activation dropout 0,
    /// tokens pad 1, bos 0, eos 2, decoder start 2, forced BOS 0 (BART) or none (mBART), <see cref="ScaleEmbedding"/> true for mBART
    /// (as mbart-large-cc25), false for BART.</summary>
    /// <param name="shape">Sizes; <c>MaxPositions</c> includes HF's 2 offset rows; layout Bart or MBart; <c>TypeVocabSize</c> 0.</param>
    /// <exception cref="ArgumentException">Another layout, token types, or an invalid shape.</exception>
    public BartConfig(ModelShape shape)
    {
        if (shape.Layout is not (ModelLayout.Bart or ModelLayout.MBart))
        {
            throw new ArgumentException($"model '{shape.Name}': layout {shape.Layout} is not a BART layout; allowed: Bart, MBart", nameof(shape));
        }
        if (shape.TypeVocabSize != 0 || shape.MaxPositions <= PositionOffset)
        {
            throw new ArgumentException($"model '{shape.Name}': BART has no token types (found {shape.TypeVocabSize}) and needs more than {PositionOffset} position rows (found {shape.MaxPositions})", nameof(shape));
        }
        Shape = shape.Validate();
        ScaleEmbedding = shape.Layout == ModelLayout.MBart;
        ForcedBosTokenId = shape.Layout == ModelLayout.MBart ? null : 0;
    }

    /// <summary>HF's learned-position offset: position p uses row p + 2 of <c>embed_positions</c>.</summary>
    public const int PositionOffset = 2;

    /// <summary>Sizes: d [d_model], L [encoder_layers], L_dec [decoder_layers], heads [encoder_attention_heads], d_m [encoder_ffn_dim],
    /// vocabulary [vocab_size], position rows [max_position_embeddings] + 2.</summary>
    public ModelShape Shape { get; }

    /// <summary>[model_type]: <c>bart</c> or <c>mbart</c> (from the layout).</summary>
    public string ModelType => IsMBart ? "mbart" : "bart";

    /// <summary>True for mBART (pre-LN layers: [normalize_before] and [add_final_layer_norm] true).</summary>
    public bool IsMBart => Shape.Layout == ModelLayout.MBart;

    /// <summary>[max_position_embeddings]: the longest sequence per stack (1,024 for BART/mBART).</summary>
    public int MaxPositionEmbeddings => Shape.MaxPositions - PositionOffset;

    /// <summary>[scale_embedding]: token embeddings are multiplied by √d (mBART) or 1 (BART).</summary>
    public bool ScaleEmbedding { get; init; }

    /// <summary>The token-embedding multiplier: √d when <see cref="ScaleEmbedding"/>, else 1.</summary>
    public double EmbedScale => ScaleEmbedding ? Math.Sqrt(Shape.HiddenSize) : 1.0;

    /// <summary>[dropout]: on embeddings and every sub-layer output.</summary>
    public double Dropout { get; init; } = 0.1;

    /// <summary>[attention_dropout]: on attention probabilities.</summary>
    public double AttentionDropout { get; init; }

    /// <summary>[activation_dropout]: after the FFN activation.</summary>
    public double ActivationDropout { get; init; }

    /// <summary>LayerNorm epsilon (1e-5, nn.LayerNorm's default, which HF BART uses).</summary>
    public double LayerNormEps { get; init; } = 1e-5;

    /// <summary>[pad_token_id] (1).</summary>
    public int PadTokenId { get; init; } = 1;

    /// <summary>[bos_token_id] (0).</summary>
    public int BosTokenId { get; init; }

    /// <summary>[eos_token_id] (2).</summary>
    public int EosTokenId { get; init; } = 2;

    /// <summary>[decoder_start_token_id]: 2 (&lt;/s&gt;) for BART; for mBART the target-language code, which generation passes per
    /// call (config value, or 2 when the config has none).</summary>
    public int DecoderStartTokenId { get; init; } = 2;

    /// <summary>[forced_bos_token_id]: 0 (&lt;s&gt;) for BART, null for mBART.</summary>
    public int? ForcedBosTokenId { get; init; }

    /// <summary>The special token ids generation uses.</summary>
    public Seq2SeqTokens Tokens => new(PadTokenId, EosTokenId, DecoderStartTokenId, ForcedBosTokenId);

    /// <summary>A copy with <see cref="Dropout"/> set to <paramref name="p"/> (attention and activation dropout unchanged).</summary>
    public BartConfig WithDropout(double p) => this with { Dropout = p };

    /// <summary>The configuration of a catalog model (<c>bart-base</c>, <c>bart-large</c>, <c>mbart-large-cc25</c>).</summary>
    /// <exception cref="ArgumentException">The entry is not a BART/mBART model.</exception>
    public static BartConfig For(ModelEntry model) => model.Architecture is "bart" or "mbart"
        ? new BartConfig(model.Shape) { LayerNormEps = model.LayerNormEps }
        : throw new ArgumentException($"model '{model.Name}' (model_type '{model.Architecture}') is not an encoder-decoder of this loader; allowed: {AllowedTypes}", nameof(model));

    /// <summary>The [model_type] of an HF <c>config.json</c> (a file, or a folder holding one), or null when the file has none; lets a
    /// caller route a folder to the encoder or the encoder-decoder loader before loading it.</summary>
    /// <exception cref="FileNotFoundException">No config.json there.</exception>
    public static string? ReadModelType(string path)
    {
        var file = Directory.Exists(path) ? Path.Combine(path, "config.json") : path;
        if (!File.Exists(file))
        {
            throw new FileNotFoundException($"HF config not found: {file}", file);
        }
        using var doc = JsonDocument.Parse(File.ReadAllText(file));
        return doc.RootElement.TryGetProperty("model_type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
    }

    /// <summary>Reads an HF <c>config.json</c> (a file, or a folder holding one) of model_type bart or mbart.</summary>
    /// <exception cref="FileNotFoundException">No config.json there.</exception>
    /// <exception cref="InvalidDataException">Another model_type, a missing field, encoder/decoder heads or FFN sizes that differ,
    /// an activation other than gelu, or a normalize_before contradicting the model type; the message names the field.</exception>
    public static BartConfig FromHfJson(string path)
    {
        var file = Directory.Exists(path) ? Path.Combine(path, "config.json") : path;
        if (!File.Exists(file))
        {
            throw new FileNotFoundException($"HF config not found: {file}", file);
        }
        using var doc = JsonDocument.Parse(File.ReadAllText(file));
        var root = doc.RootElement;
        bool Has(string key, out JsonElement v) => root.TryGetProperty(key, out v) && v.ValueKind != JsonValueKind.Null;
        int Int(string key) => Has(key, out var v) && v.ValueKind == JsonValueKind.Number
            ? v.GetInt32() : throw new InvalidDataException($"{file}: required field '{key}' is missing or not a number");
        int IntOr(string key, int fallback) => Has(key, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : fallback;
        double Num(string key, double fallback) => Has(key, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : fallback;
        bool Bool(string key, bool fallback) => Has(key, out var v) && v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : fallback;

        var type = Has("model_type", out var t) ? t.GetString() ?? "" : "";
        if (type is not ("bart" or "mbart"))
        {
            throw new InvalidDataException($"{file}: model_type '{type}' is not an encoder-decoder; allowed: {AllowedTypes}");
        }
        var mbart = type == "mbart";
        var act = Has("activation_function", out var a) ? a.GetString() : "gelu";
        if (act is not "gelu")
        {
            throw new InvalidDataException($"{file}: activation_function '{act}' is not supported; allowed: gelu");
        }
        var (heads, decHeads) = (Int("encoder_attention_heads"), Int("decoder_attention_heads"));
        if (heads != decHeads)
        {
            throw new InvalidDataException($"{file}: encoder_attention_heads {heads} differs from decoder_attention_heads {decHeads}; they must be equal");
        }
        var (ffn, decFfn) = (Int("encoder_ffn_dim"), Int("decoder_ffn_dim"));
        if (ffn != decFfn)
        {
            throw new InvalidDataException($"{file}: encoder_ffn_dim {ffn} differs from decoder_ffn_dim {decFfn}; they must be equal");
        }
        if (Bool("normalize_before", mbart) != mbart)
        {
            throw new InvalidDataException($"{file}: normalize_before {(!mbart).ToString().ToLowerInvariant()} contradicts model_type '{type}'; allowed: {(mbart ? "true (mbart is pre-LN)" : "false (bart is post-LN)")}");
        }
        var name = Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(file))) ?? "hf";
        ModelShape shape;
        try
        {
            shape = new ModelShape(name, Int("d_model"), Int("encoder_layers"), heads, ffn, Int("vocab_size"), Int("max_position_embeddings") + PositionOffset, 0)
            {
                DecoderLayers = Int("decoder_layers"),
                Layout = mbart ? ModelLayout.MBart : ModelLayout.Bart,
            }.Validate();
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{file}: {e.Message}", e);
        }
        var eos = IntOr("eos_token_id", 2);
        return new BartConfig(shape)
        {
            ScaleEmbedding = Bool("scale_embedding", false),
            Dropout = Num("dropout", 0.1),
            AttentionDropout = Num("attention_dropout", 0.0),
            ActivationDropout = Num("activation_dropout", 0.0),
            PadTokenId = IntOr("pad_token_id", 1),
            BosTokenId = IntOr("bos_token_id", 0),
            EosTokenId = eos,
            DecoderStartTokenId = IntOr("decoder_start_token_id", eos),
            ForcedBosTokenId = mbart ? null : Has("forced_bos_token_id", out var f) && f.ValueKind == JsonValueKind.Number ? f.GetInt32() : null,
        };
    }

    /// <summary>The HF <c>config.json</c> of this configuration (what <see cref="FromHfJson"/> reads back), e.g. for test checkpoints.</summary>
    public string ToHfJson()
    {
        var s = Shape;
        var fields = new Dictionary<string, object?>
        {
            ["model_type"] = ModelType, ["activation_function"] = "gelu", ["d_model"] = s.HiddenSize,
            ["encoder_layers"] = s.NumLayers, ["decoder_layers"] = s.DecoderLayers,
            ["encoder_attention_heads"] = s.NumHeads, ["decoder_attention_heads"] = s.NumHeads,
            ["encoder_ffn_dim"] = s.IntermediateSize, ["decoder_ffn_dim"] = s.IntermediateSize,
            ["vocab_size"] = s.VocabSize, ["max_position_embeddings"] = MaxPositionEmbeddings,
            ["scale_embedding"] = ScaleEmbedding, ["normalize_before"] = IsMBart, ["add_final_layer_norm"] = IsMBart,
            ["dropout"] = Dropout, ["attention_dropout"] = AttentionDropout, ["activation_dropout"] = ActivationDropout,
            ["pad_token_id"] = PadTokenId, ["bos_token_id"] = BosTokenId, ["eos_token_id"] = EosTokenId,
            ["decoder_start_token_id"] = DecoderStartTokenId, ["forced_bos_token_id"] = ForcedBosTokenId,
        };
        return JsonSerializer.Serialize(fields);
    }
}
