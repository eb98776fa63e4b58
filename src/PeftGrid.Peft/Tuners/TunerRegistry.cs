using PeftGrid.Peft.Framework;
using PeftGrid.Peft.Tuners.Bottleneck;
using PeftGrid.Peft.Tuners.Lora;
using PeftGrid.Peft.Tuners.Prefix;
using PeftGrid.Peft.Tuners.Prompt;

namespace PeftGrid.Peft.Tuners;

/// <summary>
/// The one table from a modification's (representation, functional form) to the tuner that builds it (DESIGN.md §2). A new
/// method family is a folder under <c>Tuners/</c> plus a row here; nothing in a backbone's forward changes.
/// </summary>
public static class TunerRegistry
{
    private static readonly Dictionary<(ModifiedRepresentation, FunctionalForm), ITuner> Table = new()
    {
        [(ModifiedRepresentation.Attention, FunctionalForm.ReluBottleneck)] = BottleneckTuner.Instance,
        [(ModifiedRepresentation.Ffn, FunctionalForm.ReluBottleneck)] = BottleneckTuner.Instance,
        [(ModifiedRepresentation.FfnAfterNorm, FunctionalForm.ReluBottleneck)] = BottleneckTuner.Instance,
        [(ModifiedRepresentation.AttentionWeights, FunctionalForm.LowRank)] = LoraTuner.Instance,
        [(ModifiedRepresentation.FfnWeights, FunctionalForm.LowRank)] = LoraTuner.Instance,
        [(ModifiedRepresentation.HeadAttention, FunctionalForm.PrefixSoftmax)] = PrefixTuner.Instance,
        [(ModifiedRepresentation.HeadAttention, FunctionalForm.PrefixRelu)] = PrefixTuner.Instance,
        [(ModifiedRepresentation.InputEmbeddings, FunctionalForm.PrefixSoftmax)] = PromptTuner.Instance,
    };

    /// <summary>Every registered (representation, form) with its tuner.</summary>
    public static IReadOnlyDictionary<(ModifiedRepresentation Representation, FunctionalForm Form), ITuner> Entries => Table;

    /// <summary>The tuner for <paramref name="m"/>.</summary>
    /// <exception cref="ArgumentException">No tuner for its representation and form; the message lists the registered pairs.</exception>
    public static ITuner For(Modification m) => Table.TryGetValue((m.Representation, m.Form), out var tuner) ? tuner
        : throw new ArgumentException($"{m.Name}: no tuner for representation '{m.Representation}' with form '{m.Form}'; allowed: "
            + string.Join(", ", Table.Keys.Select(k => $"{k.Item1}/{k.Item2}")), nameof(m));
}
