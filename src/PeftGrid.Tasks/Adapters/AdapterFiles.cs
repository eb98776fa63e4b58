using System.Text.Json;
using System.Text.Json.Nodes;
using PeftGrid.Contracts.Json;
using PeftGrid.Models;
using PeftGrid.Models.Bert;
using PeftGrid.Models.Seq2Seq;
using PeftGrid.Peft.Catalog;
using PeftGrid.Peft.Adapters;
using PeftGrid.Peft.Framework;
using PeftGrid.Tasks.Pipeline;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace PeftGrid.Tasks.Adapters;

/// <summary>
/// Saves and reloads a trained configuration in the Hugging Face peft layout: <c>adapter_model.safetensors</c>
/// (only the trained parameters: PEFT modules, any unfrozen backbone parameters, and the task head of a classifier or the new
/// parts of an encoder-decoder, in the names of <see cref="SequenceClassifier.AdapterStateDict"/> /
/// <see cref="Seq2SeqModel.AdapterStateDict"/>, i.e. peft's naming for LoRA and prefix) and <c>adapter_config.json</c> (peft's
/// fields where peft has the method, <c>task_type</c> <c>SEQ_CLS</c> or <c>SEQ_2_SEQ_LM</c>, plus a <c>peftgrid</c> object with the
/// resolved spec, model, task, label count (classification), max length, max target length (seq2seq) and the trial's metrics,
/// which is what <see cref="ReadInfo"/>, <see cref="Load"/> and <see cref="LoadSeq2Seq"/> read).
/// </summary>
public static class AdapterFiles
{
    /// <summary>Weights file name (peft's).</summary>
    public const string WeightsFile = "adapter_model.safetensors";
    /// <summary>Config file name (peft's).</summary>
    public const string ConfigFile = "adapter_config.json";

    /// <summary>Writes the trained parameters and the config of <paramref name="execution"/> to <paramref name="folder"/>.</summary>
    /// <exception cref="InvalidOperationException">The execution has no trained model, or a trained tensor holds a NaN or
    /// infinite value (nothing is written then).</exception>
    public static void Save(string folder, TrialExecution execution)
    {
        var model = execution.Model ?? throw new InvalidOperationException("no trained model to save (the trial did not train)");
        var plan = execution.Plan!;
        var state = model.AdapterStateDict();
        try
        {
            if (FirstNonFinite(state) is { } bad)
            {
                throw new InvalidOperationException(
                    $"refusing to save the adapter to '{folder}': tensor '{bad}' holds NaN/inf values (trial status {execution.Result.Status.ToString().ToLowerInvariant()})");
            }
            Directory.CreateDirectory(folder);
            Safetensors.SaveStateDict(Path.Combine(folder, WeightsFile), state);
        }
        finally
        {
            foreach (var t in state.Values) t.Dispose();
        }
        var seq2seq = plan.TaskKind == TaskKind.Seq2Seq;
        var modelName = plan.Spec.Model.Trim();
        var config = PeftFields(plan.Config);
        config["task_type"] = seq2seq ? "SEQ_2_SEQ_LM" : "SEQ_CLS";
        config["base_model_name_or_path"] = ModelCatalog.TryFind(modelName)?.HfId ?? modelName;
        config["inference_mode"] = true;
        if (!seq2seq) config["modules_to_save"] = new JsonArray("classifier");
        var metrics = new JsonObject();
        foreach (var (name, value) in execution.Result.Metrics.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            metrics[name] = double.IsFinite(value) ? value : null;
        }
        var info = new JsonObject
        {
            ["spec"] = plan.Config.Spec,
            ["model"] = ModelCatalog.TryFind(modelName)?.Name ?? modelName,
            ["task"] = plan.Task.Name,
        };
        if (!seq2seq) info["num_labels"] = plan.Glue?.NumLabels ?? 0;
        info["max_length"] = plan.Spec.Profile.MaxLength;
        if (seq2seq) info["max_target_length"] = plan.MaxTargetLength;
        info["seed"] = plan.Spec.Seed;
        info["cell_id"] = plan.Spec.CellId;
        if (!seq2seq) info["accuracy"] = execution.Result.Metrics.TryGetValue("accuracy", out var a) ? a : null;
        info["metrics"] = metrics;
        info["tensors"] = model.TrainableParameters().Count();
        config["peftgrid"] = info;
        File.WriteAllText(Path.Combine(folder, ConfigFile), config.ToJsonString(PeftGridJson.Options));
    }

    private static string? FirstNonFinite(Dictionary<string, Tensor> state)
    {
        using var scope = NewDisposeScope();
        return state.FirstOrDefault(kv => !kv.Value.isfinite().all().item<bool>()).Key;
    }

    /// <summary>peft's own fields for LoRA at attention and for prefix tuning; <c>peft_type: "PEFTGRID"</c> otherwise.</summary>
    private static JsonObject PeftFields(PeftConfig config)
    {
        var mods = config.Modifications;
        if (config.Backbone == BackboneTraining.Frozen && mods.Count == 1 && mods[0].Form == FunctionalForm.LowRank
            && mods[0].Representation == ModifiedRepresentation.AttentionWeights)
        {
            var m = mods[0];
            return new JsonObject
            {
                ["peft_type"] = "LORA", ["r"] = m.Size, ["lora_alpha"] = m.LoraAlpha ?? m.Scale * m.Size,
                ["lora_dropout"] = m.Dropout, ["target_modules"] = new JsonArray("query", "value"), ["bias"] = "none",
            };
        }
        if (config.Backbone == BackboneTraining.Frozen && mods.Count == 1 && mods[0].Form == FunctionalForm.PrefixSoftmax
            && mods[0].Representation == ModifiedRepresentation.HeadAttention)
        {
            var m = mods[0];
            return new JsonObject
            {
                ["peft_type"] = "PREFIX_TUNING", ["num_virtual_tokens"] = m.Size,
                ["prefix_projection"] = m.PrefixMidDim is not null, ["encoder_hidden_size"] = m.PrefixMidDim ?? 0,
            };
        }
        return new JsonObject { ["peft_type"] = "PEFTGRID" };
    }

    /// <summary>What an adapter folder says about itself.</summary>
    /// <param name="Spec">Resolved method spec.</param>
    /// <param name="Model">Model name.</param>
    /// <param name="Task">Task it was trained on.</param>
    /// <param name="NumLabels">Classes of the head (0 for a seq2seq adapter).</param>
    /// <param name="MaxLength">Max (source) length used in training.</param>
    public sealed record AdapterInfo(string Spec, string Model, string Task, int NumLabels, int MaxLength)
    {
        /// <summary>Seq2seq: the max target length used in training; null for classification (and for folders written before it was saved).</summary>
        public int? MaxTargetLength { get; init; }
        /// <summary>The trial's metrics when it was saved, by name (<c>accuracy</c> in [0, 1]; ROUGE F × 100; BLEU 0–100); empty when not saved.</summary>
        public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();
        /// <summary>The kind of <see cref="Task"/> (classification unless the catalog says otherwise).</summary>
        public TaskKind Kind => TaskCatalog.TryFind(Task)?.Kind ?? TaskKind.Classification;
    }

    /// <summary>Reads <c>adapter_config.json</c> of <paramref name="folder"/>.</summary>
    /// <exception cref="DirectoryNotFoundException">No such folder.</exception>
    /// <exception cref="FileNotFoundException">A file is missing.</exception>
    /// <exception cref="InvalidDataException">The config lacks the <c>peftgrid</c> object.</exception>
    public static AdapterInfo ReadInfo(string folder)
    {
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"adapter folder '{folder}' does not exist");
        var configPath = Path.Combine(folder, ConfigFile);
        if (!File.Exists(configPath)) throw new FileNotFoundException($"'{configPath}' does not exist", configPath);
        var weights = Path.Combine(folder, WeightsFile);
        if (!File.Exists(weights)) throw new FileNotFoundException($"'{weights}' does not exist", weights);
        var node = JsonNode.Parse(File.ReadAllText(configPath))?["peftgrid"]
            ?? throw new InvalidDataException($"{configPath}: no 'peftgrid' object (not written by peftgrid train --save-adapter)");
        var task = (string?)node["task"] ?? "sst2";
        var seq2seq = TaskCatalog.TryFind(task)?.Kind == TaskKind.Seq2Seq;
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        if (node["metrics"] is JsonObject saved)
        {
            foreach (var (name, value) in saved)
            {
                if (value is JsonValue v && v.TryGetValue<double>(out var d)) metrics[name] = d;
            }
        }
        else if ((double?)node["accuracy"] is { } accuracy)
        {
            metrics["accuracy"] = accuracy;
        }
        return new AdapterInfo(
            (string?)node["spec"] ?? throw new InvalidDataException($"{configPath}: peftgrid.spec missing"),
            (string?)node["model"] ?? (seq2seq ? "minilm2minilm" : "minilm"), task,
            (int?)node["num_labels"] ?? (seq2seq ? 0 : 2), (int?)node["max_length"] ?? 128)
        {
            MaxTargetLength = (int?)node["max_target_length"], Metrics = metrics,
        };
    }

    /// <summary>Rebuilds the classifier of <paramref name="folder"/>: pretrained weights, the same configuration, then the saved parameters.</summary>
    /// <exception cref="InvalidDataException">Keys or shapes in the weights file do not match the configuration.</exception>
    /// <exception cref="ArgumentException">The adapter was trained on a seq2seq task (use <see cref="LoadSeq2Seq"/>).</exception>
    public static (SequenceClassifier Model, AdapterInfo Info) Load(string folder)
    {
        var info = ReadInfo(folder);
        if (info.Kind == TaskKind.Seq2Seq)
        {
            throw new ArgumentException($"adapter '{folder}' was trained on seq2seq task '{info.Task}' with model '{info.Model}'; load it as an encoder-decoder");
        }
        var model = ModelLoader.LoadClassifier(info.Model, info.NumLabels);
        try
        {
            model.ApplyPeft(PeftConfig.Parse(info.Spec));
            LoadWeights(model, folder);
            model.eval();
            return (model, info);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>Rebuilds the encoder-decoder of a seq2seq adapter <paramref name="folder"/>: the pretrained backbone of its model
    /// (<see cref="ModelLoader.LoadSeq2Seq"/>, dropout 0, in eval mode), then its configuration and saved parameters
    /// (<see cref="LoadInto"/>). Parts the checkpoint lacks and the adapter does not hold (none for a trained minilm2minilm: its
    /// cross-attention is saved) draw from torch's default generator: seed it first for a reproducible model.</summary>
    /// <exception cref="ArgumentException">The adapter is not a seq2seq adapter, or its model's weights are not available here.</exception>
    /// <exception cref="InvalidDataException">A malformed folder, or keys / shapes in the weights file that do not match the configuration.</exception>
    public static (Seq2SeqModel Model, AdapterInfo Info) LoadSeq2Seq(string folder)
    {
        var info = ReadInfo(folder);
        if (info.Kind != TaskKind.Seq2Seq)
        {
            throw new ArgumentException($"adapter '{folder}' was trained on classification task '{info.Task}'; a seq2seq adapter (xsum, wmt16-en-ro) is needed");
        }
        var model = new Seq2SeqModel(ModelLoader.LoadSeq2Seq(info.Model, dropout: 0));
        try
        {
            LoadInto(model, folder, info);
            model.eval();
            return (model, info);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>Applies the adapter's configuration (<c>peftgrid.spec</c>) to <paramref name="model"/> and loads its trained
    /// parameters (names of <see cref="Seq2SeqModel.AdapterStateDict"/>: adapters, unfrozen backbone parameters, new parts) — the one
    /// place that reads a seq2seq adapter's weights (<see cref="LoadSeq2Seq"/>, <c>peftgrid generate --adapter</c>).</summary>
    /// <exception cref="InvalidDataException">Missing, unknown or mis-shaped tensors.</exception>
    public static void LoadInto(Seq2SeqModel model, string folder, AdapterInfo info)
    {
        model.ApplyPeft(PeftConfig.Parse(info.Spec));
        LoadWeights(model, folder);
    }

    /// <summary>Loads <c>adapter_model.safetensors</c> of <paramref name="folder"/> into a model whose configuration is applied.</summary>
    private static void LoadWeights(IPeftModel model, string folder)
    {
        var state = Safetensors.LoadStateDict(Path.Combine(folder, WeightsFile));
        try
        {
            model.LoadAdapterStateDict(state);
        }
        finally
        {
            foreach (var t in state.Values) t.Dispose();
        }
    }
}
