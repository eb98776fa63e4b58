using PeftGrid.Peft.Framework;

namespace PeftGrid.Peft.Tuners.Prompt;

/// <summary>Prompt tuning's options (Lester et al. 2021; PAPER.md §1.3), read from its <see cref="Modification"/>.</summary>
/// <param name="Length">l, the number of prompt vectors (≥ 1).</param>
public sealed record PromptOptions(int Length)
{
    /// <summary>The options of <paramref name="m"/> (size l).</summary>
    public static PromptOptions From(Modification m) => new(m.Size);
}
