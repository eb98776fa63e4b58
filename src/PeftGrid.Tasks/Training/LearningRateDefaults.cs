using PeftGrid.Peft.Framework;

namespace PeftGrid.Tasks.Training;

/// <summary>
/// Per-method default peak learning rates for MiniLM-sized encoders on GLUE (batch 32, AdamW, 6 % warmup,
/// linear decay). Frozen-backbone methods train few, freshly initialised parameters and want a rate about
/// 10× higher than full fine-tuning. The evidence (SST-2 sweeps) is in the README's "Training" section.
/// </summary>
public static class LearningRateDefaults
{
    /// <summary>Full fine-tuning (every parameter trains).</summary>
    public const double Full = 1e-4;
    /// <summary>BitFit (biases and the head train).</summary>
    public const double BitFit = 2e-3;
    /// <summary>Any other frozen-backbone method (adapters, LoRA, prefix, MAM, …), unless listed in <see cref="ByPreset"/>.</summary>
    public const double Peft = 1e-3;

    /// <summary>Overrides by the first spec part's preset name.</summary>
    public static IReadOnlyDictionary<string, double> ByPreset { get; } = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase)
    {
        ["full"] = Full,
        ["bitfit"] = BitFit,
    };

    /// <summary>The default peak learning rate for <paramref name="config"/>.</summary>
    public static double For(PeftConfig config)
    {
        if (config.Backbone == BackboneTraining.All) return Full;
        if (config.Backbone == BackboneTraining.Biases && config.Modifications.Count == 0) return BitFit;
        var first = config.Parts.Count > 0 ? config.Parts[0].Preset : "";
        return ByPreset.TryGetValue(first, out var lr) ? lr : Peft;
    }
}
