using System.Text.Json;
using PeftGrid.Peft.Budget;
using PeftGrid.Peft.Catalog;

namespace PeftGrid.Models.Bert;

/// <summary>
/// Configuration of a BERT/RoBERTa-family encoder (HF <c>config.json</c> fields in brackets).
/// </summary>
/// <param name="Shape">Sizes: d [hidden_size], L [num_hidden_layers], heads [num_attention_heads], d_m [intermediate_size],
/// vocabulary [vocab_size], positions [max_position_embeddings], token types [type_vocab_size].</param>
/// <param name="LayerNormEps">[layer_norm_eps], 1e-12 for BERT, 1e-5 for RoBERTa.</param>
/// <param name="HiddenDropout">[hidden_dropout_prob].</param>
/// <param name="AttentionDropout">[attention_probs_dropout_prob].</param>
/// <param name="PositionOffset">First position id: 0 for BERT; padding_idx + 1 = 2 for RoBERTa.</param>
/// <param name="ModelType">[model_type]: <c>bert</c> or <c>roberta</c>.</param>
public sealed record EncoderConfig(ModelShape Shape, double LayerNormEps = 1e-12, double HiddenDropout = 0.1,
    double AttentionDropout = 0.1, int PositionOffset = 0, string ModelType = "bert")
{
    /// <summary>The configuration of a catalog model (its shape, LayerNorm eps, position offset and architecture).</summary>
    public static EncoderConfig For(ModelEntry model) =>
        new(model.Shape, model.LayerNormEps, PositionOffset: model.PositionOffset, ModelType: model.Architecture);

    /// <summary>A copy with both dropout probabilities set to <paramref name="p"/>.</summary>
    public EncoderConfig WithDropout(double p) => this with { HiddenDropout = p, AttentionDropout = p };

    /// <summary>Reads an HF <c>config.json</c> (a file, or a folder holding one).</summary>
    /// <exception cref="FileNotFoundException">No config.json there.</exception>
    /// <exception cref="InvalidDataException">A required field is missing or the model type/activation is unsupported; the message names it.</exception>
    public static EncoderConfig FromHfJson(string path)
    {
        var file = Directory.Exists(path) ? Path.Combine(path, "config.json") : path;
        if (!File.Exists(file))
        {
            throw new FileNotFoundException($"HF config not found: {file}", file);
        }
        using var doc = JsonDocument.Parse(File.ReadAllText(file));
        var root = doc.RootElement;
        int Int(string key) => root.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.Number
            ? v.GetInt32() : throw new InvalidDataException($"{file}: required field '{key}' is missing or not a number");
        double Num(string key, double fallback) => root.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : fallback;
        var type = root.TryGetProperty("model_type", out var t) ? t.GetString() ?? "bert" : "bert";
        if (type is not ("bert" or "roberta"))
        {
            throw new InvalidDataException($"{file}: model_type '{type}' is not supported; allowed: bert, roberta");
        }
        var act = root.TryGetProperty("hidden_act", out var a) ? a.GetString() : "gelu";
        if (act is not "gelu")
        {
            throw new InvalidDataException($"{file}: hidden_act '{act}' is not supported; allowed: gelu");
        }
        var name = Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(file))) ?? "hf";
        var shape = new ModelShape(name, Int("hidden_size"), Int("num_hidden_layers"), Int("num_attention_heads"), Int("intermediate_size"),
            Int("vocab_size"), Int("max_position_embeddings"), root.TryGetProperty("type_vocab_size", out var tv) ? tv.GetInt32() : 2).Validate();
        var pad = root.TryGetProperty("pad_token_id", out var p) && p.ValueKind == JsonValueKind.Number ? p.GetInt32() : 1;
        return new EncoderConfig(shape, Num("layer_norm_eps", 1e-12), Num("hidden_dropout_prob", 0.1), Num("attention_probs_dropout_prob", 0.1),
            type == "roberta" ? pad + 1 : 0, type);
    }
}
