namespace PeftGrid.Tasks.Data;

/// <summary>One labelled GLUE example: a sentence (SST-2) or a sentence pair (MNLI).</summary>
/// <param name="Text">First sentence (SST-2 <c>sentence</c>, MNLI <c>sentence1</c>), as read (trailing spaces trimmed).</param>
/// <param name="TextPair">Second sentence (MNLI <c>sentence2</c>); null for single-sentence tasks.</param>
/// <param name="Label">Label id in [0, number of labels) (Hugging Face ids, see <see cref="GlueTask"/>).</param>
/// <param name="Line">1-based line number in the source TSV (header = line 1), for error messages.</param>
public sealed record GlueExample(string Text, string? TextPair, int Label, int Line);
