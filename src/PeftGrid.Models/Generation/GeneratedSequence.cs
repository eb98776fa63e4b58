namespace PeftGrid.Models.Generation;

/// <summary>One generated sequence of <see cref="Seq2SeqGenerator.Generate"/>.</summary>
/// <param name="InputIndex">The input (row of the batch) it was generated for.</param>
/// <param name="Tokens">Generated token ids without the decoder start token, up to and including the first EOS (if one was
/// generated before max_length), without padding: at most max_length − 1 ids.</param>
/// <param name="Score">HF's sequence score: the sum of the processed log-probabilities of its tokens divided by
/// length^length_penalty, length = decoder tokens before EOS including the start token (<c>BeamHypotheses.add</c>); greedy search
/// scores its sequence the same way.</param>
/// <param name="StepLogits">With <see cref="GenerationOptions.RecordStepLogits"/>: per decoding step, the raw decoder logits of
/// this input's rows, row-major [rows, vocab] (rows = NumBeams, in the beam order of that step; 1 for greedy); else null.</param>
public sealed record GeneratedSequence(int InputIndex, IReadOnlyList<long> Tokens, double Score, IReadOnlyList<float[]>? StepLogits);
