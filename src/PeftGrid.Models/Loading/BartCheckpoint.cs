using PeftGrid.Models.Bart;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace PeftGrid.Models.Loading;

/// <summary>
/// Loads HF BART/mBART checkpoints (<c>config.json</c> of model_type bart or mbart + <c>model.safetensors</c>) by HF key names into a
/// <see cref="BartModel"/>. Keys with or without the <c>model.</c> prefix are accepted (a <c>BartForConditionalGeneration</c> or a bare
/// <c>BartModel</c> save). The tied copies of <c>model.shared.weight</c> — <c>model.encoder.embed_tokens.weight</c>,
/// <c>model.decoder.embed_tokens.weight</c>, <c>lm_head.weight</c> — are checked for shape [V, d] and ignored (one of them stands in
/// for <c>model.shared.weight</c> when a save dropped it); <c>final_logits_bias</c> [1, V] loads into the buffer (zeros when absent, as
/// HF initialises it). Every other key goes through <see cref="StateDictCopier.Copy"/>: unknown, missing and mis-shaped keys are listed.
/// </summary>
public static class BartCheckpoint
{
    /// <summary>The keys that are tied copies of <c>model.shared.weight</c>.</summary>
    public static IReadOnlyList<string> TiedKeys { get; } = ["model.encoder.embed_tokens.weight", "model.decoder.embed_tokens.weight", "lm_head.weight"];

    private const string SharedKey = "model.shared.weight";

    /// <summary>Reads the config and weights in <paramref name="folder"/> into a new model.</summary>
    /// <param name="folder">An HF checkpoint folder.</param>
    /// <param name="dropout">Overrides [dropout] (embeddings and sub-layer outputs); attention and activation dropout stay the config's.</param>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="FileNotFoundException">config.json or model.safetensors is missing.</exception>
    /// <exception cref="InvalidDataException">A model_type other than bart/mbart (e.g. a BERT folder), an unsupported config, or missing,
    /// unknown or mis-shaped tensors (listed by name).</exception>
    public static BartModel Load(string folder, double? dropout = null)
    {
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"checkpoint folder not found: {folder}");
        }
        var config = BartConfig.FromHfJson(folder);
        if (dropout is { } p)
        {
            config = config.WithDropout(p);
        }
        var weights = Path.Combine(folder, "model.safetensors");
        if (!File.Exists(weights))
        {
            throw new FileNotFoundException($"checkpoint weights not found: {weights}", weights);
        }
        var model = new BartModel(config);
        var raw = Safetensors.LoadStateDict(weights);
        try
        {
            Copy(model, raw, weights);
        }
        catch
        {
            model.Dispose();
            throw;
        }
        finally
        {
            foreach (var t in raw.Values) { t.Dispose(); }
        }
        return model;
    }

    /// <summary>Copies an HF state dict <paramref name="raw"/> (see the class remarks for the key rules) into <paramref name="model"/>.</summary>
    /// <exception cref="InvalidDataException">Missing, unknown or mis-shaped keys; the message lists them.</exception>
    public static void Copy(BartModel model, IReadOnlyDictionary<string, Tensor> raw, string what)
    {
        var (v, d) = (model.Shape.VocabSize, model.Shape.HiddenSize);
        var state = new Dictionary<string, Tensor>();
        var tied = new Dictionary<string, Tensor>();
        Tensor? bias = null;
        foreach (var (key, tensor) in raw)
        {
            var name = Normalize(key);
            if (name == BartModel.FinalLogitsBias) { bias = tensor; }
            else if (TiedKeys.Contains(name)) { tied[name] = tensor; }
            else { state[name] = tensor; }
        }
        var misShaped = tied.Where(kv => !kv.Value.shape.SequenceEqual([v, d])).Select(kv => Describe(kv.Key, [v, d], kv.Value)).ToList();
        if (bias is not null && !bias.shape.SequenceEqual([1, v]))
        {
            misShaped.Add(Describe(BartModel.FinalLogitsBias, [1, v], bias));
        }
        if (misShaped.Count > 0)
        {
            throw new InvalidDataException($"{what}: mis-shaped keys: {string.Join(", ", misShaped)}");
        }
        if (!state.ContainsKey(SharedKey) && tied.Count > 0)
        {
            state[SharedKey] = tied.OrderBy(kv => kv.Key, StringComparer.Ordinal).First().Value;
        }
        StateDictCopier.Copy(model.PretrainedParameters().ToDictionary(p => p.Name, p => p.Parameter), state, what);
        using (torch.no_grad())
        {
            if (bias is not null) { model.LogitsBias.copy_(bias.to(model.LogitsBias.dtype, model.LogitsBias.device)); }
            else { model.LogitsBias.zero_(); }
        }
    }

    /// <summary>The model's key for an HF key: <c>model.</c> prepended unless the key already has it or is <c>lm_head.weight</c> /
    /// <c>final_logits_bias</c>.</summary>
    public static string Normalize(string key) =>
        key.StartsWith("model.", StringComparison.Ordinal) || key is "lm_head.weight" || key == BartModel.FinalLogitsBias ? key : "model." + key;

    private static string Describe(string key, long[] expected, Tensor found) =>
        $"{key} (expected [{string.Join(",", expected)}], found [{string.Join(",", found.shape)}])";
}
