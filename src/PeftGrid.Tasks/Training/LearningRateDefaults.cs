using PeftGrid.Peft.Adapters;
using PeftGrid.Peft.Catalog;
using PeftGrid.Peft.Framework;

namespace PeftGrid.Tasks.Training;

/// <summary>
/// Per-method default peak learning rates for MiniLM-sized encoders on GLUE (batch 32, AdamW, 6 % warmup,
/// linear decay), and for now the same rates for minilm2minilm on XSum / en-ro (<see cref="For(PeftConfig, TaskKind)"/>). Frozen-backbone methods train few, freshly initialised parameters and want a rate about
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

    /// <summary>
    /// The prefix encoder (role <see cref="ParameterRole.PrefixEncoder"/>: prefix tuning's P_k, P_v or their reparametrization
    /// MLP, also MAM's and the multi-head PA's) trains at this fraction of the peak rate. Evidence (MNLI, all 14,110 pairs,
    /// <c>mam[l=12,r=12,s=2,mid=800]</c> at 0.5 %, seed 42, one epoch): everything at 1e-3 collapsed to chance
    /// (36.8 %); everything at 3e-4 55.1 %; 1e-3 with the prefix encoder at 1e-4 57.3 % (65.3 % in two epochs).
    /// README "Training on GLUE" has the table.
    /// </summary>
    public const double PrefixEncoderFactor = 0.1;

    /// <summary>The per-role peak rates of a trial (<see cref="TrainerOptions.RoleLearningRates"/>): the prefix encoder at
    /// <paramref name="prefixEncoderRate"/>; every other role (adapters, unfrozen backbone, task head) at the peak rate.</summary>
    /// <param name="prefixEncoderRate">Peak rate of <see cref="ParameterRole.PrefixEncoder"/> parameters (by default the peak rate
    /// × <see cref="PrefixEncoderFactor"/>; <c>--prefix-lr</c> / the profile's <c>prefixLearningRate</c> set it).</param>
    public static IReadOnlyDictionary<ParameterRole, double> RoleRates(double prefixEncoderRate) =>
        new Dictionary<ParameterRole, double> { [ParameterRole.PrefixEncoder] = prefixEncoderRate };

    /// <summary>Overrides by the first spec part's preset name.</summary>
    public static IReadOnlyDictionary<string, double> ByPreset { get; } = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase)
    {
        ["full"] = Full,
        ["bitfit"] = BitFit,
    };

    /// <summary>Full fine-tuning of minilm2minilm on XSum / WMT16 en-ro: 3e-4. Evidence (XSum, seed 42, 400 documents of 128
    /// tokens, summaries of 48, batch 8, 50 steps, 50 dev documents, the paper's decoding): 1e-4 → dev loss 7.24, ROUGE-2 0.00
    /// (outputs of "the"); 3e-4 → 6.61, 2.02; 1e-3 → 6.17, 1.92. Selection is by ROUGE-2, and 3e-4 is the safer of the two
    /// for longer runs. README "Training on XSum and WMT16 en-ro" has the table.</summary>
    public const double Seq2SeqFull = 3e-4;
    /// <summary>Every frozen-backbone method on minilm2minilm for XSum / WMT16 en-ro: 1e-3 (BitFit keeps <see cref="BitFit"/>).
    /// Evidence (same runs as <see cref="Seq2SeqFull"/>, 2 % tier): <c>lora-attn</c> 1e-3 → dev loss 7.49, ROUGE-2 0.46,
    /// 3e-3 → 7.44, 0.28; <c>pa-ffn</c> 1e-3 → 7.42, 0.00, 3e-3 → 7.37, 0.00: no gain from the higher rate.</summary>
    public const double Seq2SeqPeft = Peft;

    /// <summary>The default peak learning rate for <paramref name="config"/> on a task of <paramref name="kind"/>: classification
    /// as <see cref="For(PeftConfig)"/>; seq2seq <see cref="Seq2SeqFull"/> for full fine-tuning, <see cref="BitFit"/> for BitFit and
    /// <see cref="Seq2SeqPeft"/> otherwise (preset overrides of <see cref="ByPreset"/> apply to classification only).</summary>
    public static double For(PeftConfig config, TaskKind kind)
    {
        if (kind != TaskKind.Seq2Seq) return For(config);
        if (config.Backbone == BackboneTraining.All) return Seq2SeqFull;
        if (config.Backbone == BackboneTraining.Biases && config.Modifications.Count == 0) return BitFit;
        return Seq2SeqPeft;
    }

    /// <summary>The default peak learning rate for <paramref name="config"/> on GLUE classification.</summary>
    public static double For(PeftConfig config)
    {
        if (config.Backbone == BackboneTraining.All) return Full;
        if (config.Backbone == BackboneTraining.Biases && config.Modifications.Count == 0) return BitFit;
        var first = config.Parts.Count > 0 ? config.Parts[0].Preset : "";
        return ByPreset.TryGetValue(first, out var lr) ? lr : Peft;
    }
}
