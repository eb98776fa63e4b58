using System.Text.Json;
using System.Text.Json.Nodes;
using PeftGrid.Contracts.Json;
using PeftGrid.Models;
using PeftGrid.Models.Bert;
using PeftGrid.Peft.Framework;
using PeftGrid.Tasks.Pipeline;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace PeftGrid.Tasks.Adapters;

/// <summary>
/// Saves and reloads a trained configuration in the Hugging Face peft layout: <c>adapter_model.safetensors</c>
/// (only the trained parameters: PEFT modules, any unfrozen backbone parameters, and the task head, in the
/// names of <see cref="SequenceClassifier.AdapterStateDict"/>, i.e. peft's naming for LoRA and prefix) and
/// <c>adapter_config.json</c> (peft's fields where peft has the method, plus a <c>peftgrid</c> object with
/// the resolved spec, model, task, label count and max length, which is what <see cref="Load"/> reads).
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
        var config = PeftFields(plan.Config);
        config["task_type"] = "SEQ_CLS";
        config["base_model_name_or_path"] = "sentence-transformers/all-MiniLM-L6-v2";
        config["inference_mode"] = true;
        config["modules_to_save"] = new JsonArray("classifier");
        config["peftgrid"] = new JsonObject
        {
            ["spec"] = plan.Config.Spec,
            ["model"] = plan.Spec.Model.Trim().ToLowerInvariant(),
            ["task"] = plan.Task.Name,
            ["num_labels"] = plan.Glue?.NumLabels ?? 0,
            ["max_length"] = plan.Spec.Profile.MaxLength,
            ["seed"] = plan.Spec.Seed,
            ["cell_id"] = plan.Spec.CellId,
            ["accuracy"] = execution.Result.Metrics.TryGetValue("accuracy", out var a) ? a : null,
            ["tensors"] = model.TrainableParameters().Count(),
        };
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
    /// <param name="NumLabels">Classes of the head.</param>
    /// <param name="MaxLength">Max length used in training.</param>
    public sealed record AdapterInfo(string Spec, string Model, string Task, int NumLabels, int MaxLength);

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
        return new AdapterInfo(
            (string?)node["spec"] ?? throw new InvalidDataException($"{configPath}: peftgrid.spec missing"),
            (string?)node["model"] ?? "minilm", (string?)node["task"] ?? "sst2",
            (int?)node["num_labels"] ?? 2, (int?)node["max_length"] ?? 128);
    }

    /// <summary>Rebuilds the classifier of <paramref name="folder"/>: pretrained weights, the same configuration, then the saved parameters.</summary>
    /// <exception cref="InvalidDataException">Keys or shapes in the weights file do not match the configuration.</exception>
    public static (SequenceClassifier Model, AdapterInfo Info) Load(string folder)
    {
        var info = ReadInfo(folder);
        var model = ModelLoader.LoadClassifier(info.Model, info.NumLabels);
        try
        {
            model.ApplyPeft(PeftConfig.Parse(info.Spec));
            var state = Safetensors.LoadStateDict(Path.Combine(folder, WeightsFile));
            try
            {
                model.LoadAdapterStateDict(state);
            }
            finally
            {
                foreach (var t in state.Values) t.Dispose();
            }
            model.eval();
            return (model, info);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }
}
