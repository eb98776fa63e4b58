using PeftGrid.Peft.Framework;

namespace PeftGrid.Peft.Specs;

/// <summary>A named method: a recipe that turns knob values into modifications (DESIGN.md §2 presets table).</summary>
/// <param name="Name">Preset name, e.g. <c>mam</c>.</param>
/// <param name="Description">One-line description with the paper reference.</param>
/// <param name="Backbone">Which pretrained parameters train.</param>
/// <param name="Knobs">The knobs in canonical order.</param>
/// <param name="Build">Turns knob values into modifications.</param>
/// <param name="PaperDefaults">The paper's seq2seq defaults where they differ from the encoder defaults.</param>
public sealed record Preset(string Name, string Description, BackboneTraining Backbone, IReadOnlyList<Knob> Knobs,
    Func<KnobReader, IEnumerable<Modification>> Build, string PaperDefaults = "");

/// <summary>
/// Every preset, with the paper's inits and the GLUE/encoder defaults (l = 16, r = 16, s = 2, LoRA alpha = 32 → s = 2;
/// PAPER.md §1.6, §1.13, §3.5). Sizes are overridable in the spec and solvable from a budget.
/// </summary>
public static class Presets
{
    private static readonly Knob L = new("l", "16", KnobKind.Size, "prefix/prompt length l");
    private static readonly Knob R = new("r", "16", KnobKind.Size, "bottleneck dimension r");
    private static readonly Knob LoraR = new("r", "16", KnobKind.Size, "LoRA rank r");
    private static readonly Knob Alpha = new("alpha", "32", KnobKind.Number, "LoRA alpha (s = alpha / r); follows r when a budget tier solves r, so s stays fixed")
    {
        ScalesWith = "r",
    };
    private static readonly Knob Mid = new("mid", "800", KnobKind.Count, "prefix reparametrization MLP hidden size (0 = learn P_k, P_v directly)");
    private static readonly Knob Gate = new("gate", "concat", KnobKind.Choice, "prefix gate: concat (Eq. 5) or explicit (Eq. 7-9)") { Choices = ["concat", "explicit"] };
    private static readonly Knob S = new("s", "2", KnobKind.Scale, "scaling s of the scaled add (number, or 'learned')");

    private static readonly Preset[] All =
    [
        new("full", "full fine-tuning: every parameter trains", BackboneTraining.All, [], _ => []),
        new("bitfit", "BitFit: only bias vectors (LayerNorm biases included) train (Ben Zaken et al. 2021)", BackboneTraining.Biases, [], _ => []),
        new("prompt", "prompt tuning: l trainable input embeddings prepended to the encoder input (Lester et al. 2021)", BackboneTraining.Frozen, [L],
            k => [Modifications.Prompt(k.Size("l"))], "l=200 (MT) / 300 (XSum)"),
        new("prefix", "prefix tuning: P_k, P_v in every attention, MLP-reparametrized, implicit gate (Li & Liang 2021; Eq. 5, 7-9)", BackboneTraining.Frozen, [L, Mid, Gate],
            k => [Modifications.Prefix("prefix", k.Size("l"), k.NonNegative("mid"), CompositionFunction.GatedInterpolation, k.Choice("gate") == "explicit" ? PrefixGate.Explicit : PrefixGate.Concat)],
            "l=200, mid=800"),
        new("prefix-nogate", "prefix tuning without the gate: h + softmax(q P_kᵀ) P_v (Table 4 '-gating')", BackboneTraining.Frozen, [L, Mid],
            k => [Modifications.Prefix("prefix-nogate", k.Size("l"), k.NonNegative("mid"), CompositionFunction.Add, PrefixGate.Explicit)], "l=30"),
        new("lora-attn", "LoRA on W_q and W_v: W + s·B·A, A Kaiming-uniform, B = 0 (Hu et al. 2021; Eq. 6)", BackboneTraining.Frozen, [LoraR, Alpha],
            k => [Modifications.Lora("lora-attn", ModifiedRepresentation.AttentionWeights, k.Size("r"), k.Positive("alpha"))], "r=200, alpha=400 (s=2)"),
        new("lora-ffn", "LoRA on W_1 and W_2 of the FFN (§4.4)", BackboneTraining.Frozen, [LoraR, Alpha],
            k => [Modifications.Lora("lora-ffn", ModifiedRepresentation.FfnWeights, k.Size("r"), k.Positive("alpha"))], "r=102, alpha=408 (s=4)"),
        new("sa-attn", "sequential adapter after the attention output projection: h + ReLU(h W_down) W_up (Eq. 4)", BackboneTraining.Frozen, [R],
            k => [Modifications.Adapter("sa-attn", ModifiedRepresentation.Attention, InsertionForm.Sequential, k.Size("r"), layerNorm: true)], "r=200"),
        new("sa-ffn", "sequential adapter after the FFN: h + ReLU(h W_down) W_up", BackboneTraining.Frozen, [R],
            k => [Modifications.Adapter("sa-ffn", ModifiedRepresentation.Ffn, InsertionForm.Sequential, k.Size("r"), layerNorm: true)], "r=200"),
        new("houlsby", "Houlsby adapter: sequential adapters after attention and after the FFN (Houlsby et al. 2019)", BackboneTraining.Frozen, [R],
            k => [Modifications.Adapter("houlsby.attn", ModifiedRepresentation.Attention, InsertionForm.Sequential, k.Size("r"), layerNorm: true),
                  Modifications.Adapter("houlsby.ffn", ModifiedRepresentation.Ffn, InsertionForm.Sequential, k.Size("r"), layerNorm: false)], "r=200"),
        new("pfeiffer", "Pfeiffer adapter: sequential adapter after the FFN add & LayerNorm only (Pfeiffer et al. 2021)", BackboneTraining.Frozen, [R],
            k => [Modifications.Adapter("pfeiffer", ModifiedRepresentation.FfnAfterNorm, InsertionForm.Sequential, k.Size("r"), layerNorm: false)], "r=600"),
        new("pa-attn", "parallel adapter at attention: Δh = ReLU(x W_down) W_up from the attention input, added before W_o (§3.3)", BackboneTraining.Frozen, [R],
            k => [Modifications.Adapter("pa-attn", ModifiedRepresentation.Attention, InsertionForm.Parallel, k.Size("r"), layerNorm: true)], "r=200"),
        new("pa-ffn", "parallel adapter at the FFN: Δh = ReLU(x W_down) W_up from the FFN input (§3.3)", BackboneTraining.Frozen, [R],
            k => [Modifications.Adapter("pa-ffn", ModifiedRepresentation.Ffn, InsertionForm.Parallel, k.Size("r"), layerNorm: true)], "r=200"),
        new("mh-pa", "multi-head parallel adapter: per head ReLU(q P_kᵀ) P_v added before W_o (§3.3)", BackboneTraining.Frozen, [R, Mid],
            k => [Modifications.MultiHead(k.Size("r"), k.NonNegative("mid"))], "r=200"),
        new("scaled-pa", "scaled parallel adapter at the FFN: h + s·ReLU(x W_down) W_up, LoRA init, no adapter LayerNorm (§3.3)", BackboneTraining.Frozen, [R, S],
            k => [Modifications.ScaledParallel("scaled-pa", k.Size("r"), k.Scale("s"))], "r=512, s=4"),
        new("mam", "MAM adapter: prefix tuning (l) at attention + scaled parallel adapter (r, s) at the FFN (§4.6)", BackboneTraining.Frozen, [L, R, S, Mid],
            k => [Modifications.Prefix("mam.prefix", k.Size("l"), k.NonNegative("mid"), CompositionFunction.GatedInterpolation, PrefixGate.Concat),
                  Modifications.ScaledParallel("mam.scaled-pa", k.Size("r"), k.Scale("s"))], "l=30, r=512, s=4"),
        new("pa-attn+pa-ffn", "parallel adapters at attention (attn_r) and at the FFN (ffn_r) (Table 6)", BackboneTraining.Frozen,
            [new("attn_r", "16", KnobKind.Size, "attention adapter bottleneck r"), new("ffn_r", "16", KnobKind.Size, "FFN adapter bottleneck r")],
            k => [Modifications.Adapter("pa-attn", ModifiedRepresentation.Attention, InsertionForm.Parallel, k.Size("attn_r"), layerNorm: true),
                  Modifications.Adapter("pa-ffn", ModifiedRepresentation.Ffn, InsertionForm.Parallel, k.Size("ffn_r"), layerNorm: true)], "attn_r=30, ffn_r=512"),
        new("prefix+lora-ffn", "prefix tuning (l) at attention + LoRA (r, alpha) at the FFN (Table 6)", BackboneTraining.Frozen, [L, LoraR, Alpha, Mid],
            k => [Modifications.Prefix("prefix", k.Size("l"), k.NonNegative("mid"), CompositionFunction.GatedInterpolation, PrefixGate.Concat),
                  Modifications.Lora("lora-ffn", ModifiedRepresentation.FfnWeights, k.Size("r"), k.Positive("alpha"))], "l=30, r=102, alpha=408"),
    ];

    /// <summary>All presets in table order (18).</summary>
    public static IReadOnlyList<Preset> List => All;

    /// <summary>The preset named <paramref name="name"/> (case-insensitive).</summary>
    /// <exception cref="ArgumentException">Unknown name; the message lists the presets.</exception>
    public static Preset Get(string name) =>
        All.FirstOrDefault(p => p.Name.Equals(name.Trim(), StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"unknown method preset '{name}'; allowed: {string.Join(", ", All.Select(p => p.Name))}");
}
