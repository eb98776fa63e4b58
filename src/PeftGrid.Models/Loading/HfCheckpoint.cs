using PeftGrid.Models.Bert;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace PeftGrid.Models.Loading;

/// <summary>
/// Loads HF BERT/RoBERTa checkpoints (<c>config.json</c> + <c>model.safetensors</c>) by HF key names. Accepted prefixes
/// <c>bert.</c>/<c>roberta.</c> are stripped; <c>pooler.*</c>, <c>cls.*</c>, <c>lm_head.*</c>, <c>classifier.*</c> and the
/// <c>embeddings.position_ids</c> buffer are ignored; old TF names <c>LayerNorm.gamma/beta</c> map to <c>weight/bias</c>.
/// </summary>
public static class HfCheckpoint
{
    private static readonly string[] IgnoredPrefixes = ["pooler.", "cls.", "lm_head.", "classifier.", "qa_outputs."];

    /// <summary>Reads the config and weights in <paramref name="folder"/> into a new encoder.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="FileNotFoundException">config.json or model.safetensors is missing.</exception>
    /// <exception cref="InvalidDataException">Missing, unknown or mis-shaped tensors (listed), or an unsupported config.</exception>
    public static BertEncoder Load(string folder, double? dropout = null)
    {
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"checkpoint folder not found: {folder}");
        }
        var config = EncoderConfig.FromHfJson(folder);
        if (dropout is { } p)
        {
            config = config.WithDropout(p);
        }
        var weights = Path.Combine(folder, "model.safetensors");
        if (!File.Exists(weights))
        {
            throw new FileNotFoundException($"checkpoint weights not found: {weights}", weights);
        }
        var encoder = new BertEncoder(config);
        var raw = Safetensors.LoadStateDict(weights);
        try
        {
            var state = new Dictionary<string, Tensor>();
            foreach (var (key, tensor) in raw)
            {
                var name = Normalize(key);
                if (name is not null)
                {
                    state[name] = tensor;
                }
            }
            StateDictCopier.Copy(encoder.PretrainedParameters().ToDictionary(p => p.Name, p => p.Parameter), state, weights);
        }
        finally
        {
            foreach (var t in raw.Values) { t.Dispose(); }
        }
        return encoder;
    }

    /// <summary>Maps an HF key to the encoder's parameter name, or null for keys that are ignored.</summary>
    public static string? Normalize(string key)
    {
        var name = key;
        foreach (var prefix in new[] { "bert.", "roberta." })
        {
            if (name.StartsWith(prefix, StringComparison.Ordinal)) { name = name[prefix.Length..]; }
        }
        if (IgnoredPrefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal)) || name.EndsWith("position_ids", StringComparison.Ordinal))
        {
            return null;
        }
        return name.Replace("LayerNorm.gamma", "LayerNorm.weight", StringComparison.Ordinal).Replace("LayerNorm.beta", "LayerNorm.bias", StringComparison.Ordinal);
    }
}
