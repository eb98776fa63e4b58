using PeftGrid.Models.Seq2Seq;
using PeftGrid.Peft.Adapters;
using TorchSharp;
using static TorchSharp.torch;

namespace PeftGrid.Models.Generation;

/// <summary>What <see cref="Seq2SeqGenerator"/> reports after each decoder call (tests, diagnostics).</summary>
/// <param name="CurLen">Decoder positions decoded so far (start token included), i.e. HF's cur_len before the new token.</param>
/// <param name="Rows">Decoder rows (batch × beams).</param>
/// <param name="Cache">The decoder cache (<see cref="GenerationOptions.UseCache"/>), or null; valid only during the callback.</param>
public sealed record GenerationStep(int CurLen, int Rows, KvCache? Cache);

/// <summary>
/// Greedy and beam-search generation with an <see cref="ISeq2SeqBackbone"/> and an optional adapter set, mirroring HF transformers'
/// <c>GenerationMixin.generate</c> for encoder-decoders as of transformers 4.3–4.26 (the line of the paper's fork):
/// <list type="bullet">
/// <item>The encoder runs once on [B, S]; its memory is expanded to B × beams rows (row b·K + k = input b), so encoder prefixes
/// use the batch size and decoder prefixes (expanded by the attention adapter to the query batch) follow B × beams.</item>
/// <item>Decoder ids start with decoder_start_token_id; each step decodes the new position (with a <see cref="KvCache"/>) or the
/// whole prefix (without), takes the last position's logits and applies HF's processors (<see cref="LogitsProcessing"/>): greedy
/// on raw logits (<c>greedy_search</c>), beam search on log_softmax (<c>beam_search</c>).</item>
/// <item>Greedy: argmax; finished rows continue with pad; stops when every row has produced EOS or at max_length.</item>
/// <item>Beam search (<c>BeamSearchScorer</c>): beam scores start 0 for beam 0 and −1e9 for the others; the top 2·K of
/// [B, K·V] (log-prob + beam score) are scanned in order: EOS among the first K finishes a hypothesis (<see cref="BeamHypotheses"/>),
/// others fill the K next beams; an input is done by <see cref="BeamHypotheses.IsDone"/> and then carries pad tokens; the cache is
/// reordered by the chosen beam rows every step (self-attention part only, <see cref="KvCache.ReorderSelf"/>: beams of one input share the cross-attention keys/values); at the end open beams join the hypotheses and
/// the best NumReturnSequences are returned, EOS appended when shorter than max_length.</item>
/// </list>
/// Runs in eval mode (restored afterwards) under no_grad; every intermediate tensor is disposed (one dispose scope per step).
/// </summary>
public static class Seq2SeqGenerator
{
    /// <summary>
    /// Generates for every input row: greedy search when NumBeams = 1, else beam search. Results are ordered by input, then best
    /// first (NumReturnSequences per input).
    /// </summary>
    /// <param name="model">The backbone.</param>
    /// <param name="adapters">The PEFT adapter set, or null for the plain model.</param>
    /// <param name="inputIds">Source ids [B, S] int64 (right padding allowed).</param>
    /// <param name="attentionMask">Source mask [B, S] (1 token, 0 padding).</param>
    /// <param name="options">Decoding settings (validated here).</param>
    /// <param name="onStep">Optional callback after every decoder call.</param>
    /// <exception cref="ArgumentException">Invalid options (see <see cref="GenerationOptions.Validate"/>) or input shapes.</exception>
    public static IReadOnlyList<GeneratedSequence> Generate(ISeq2SeqBackbone model, AdapterSet? adapters, Tensor inputIds,
        Tensor attentionMask, GenerationOptions options, Action<GenerationStep>? onStep = null) =>
        options.NumBeams == 1 ? Greedy(model, adapters, inputIds, attentionMask, options, onStep)
            : BeamSearch(model, adapters, inputIds, attentionMask, options, onStep);

    /// <summary>Greedy search (HF <c>greedy_search</c>); NumBeams must be 1. See <see cref="Generate"/>.</summary>
    /// <exception cref="ArgumentException">Invalid options or shapes, or NumBeams ≠ 1.</exception>
    public static IReadOnlyList<GeneratedSequence> Greedy(ISeq2SeqBackbone model, AdapterSet? adapters, Tensor inputIds,
        Tensor attentionMask, GenerationOptions options, Action<GenerationStep>? onStep = null)
    {
        if (options.NumBeams != 1) { throw new ArgumentException($"greedy search needs NumBeams = 1; got {options.NumBeams}", nameof(options)); }
        return Run(model, adapters, inputIds, attentionMask, options, onStep, beam: false);
    }

    /// <summary>Beam search (HF <c>beam_search</c> + <c>BeamSearchScorer</c>) with any NumBeams ≥ 1 (HF itself refuses 1; with
    /// one beam and EarlyStopping it equals greedy search). See <see cref="Generate"/>.</summary>
    /// <exception cref="ArgumentException">Invalid options or shapes.</exception>
    public static IReadOnlyList<GeneratedSequence> BeamSearch(ISeq2SeqBackbone model, AdapterSet? adapters, Tensor inputIds,
        Tensor attentionMask, GenerationOptions options, Action<GenerationStep>? onStep = null) =>
        Run(model, adapters, inputIds, attentionMask, options, onStep, beam: true);

    private static IReadOnlyList<GeneratedSequence> Run(ISeq2SeqBackbone model, AdapterSet? adapters, Tensor inputIds,
        Tensor attentionMask, GenerationOptions options, Action<GenerationStep>? onStep, bool beam)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate(model);
        if (inputIds.dim() != 2 || !inputIds.shape.SequenceEqual(attentionMask.shape) || inputIds.shape[0] < 1)
        {
            throw new ArgumentException($"inputIds and attentionMask must both be [B ≥ 1, S]; got [{string.Join(", ", inputIds.shape)}] and [{string.Join(", ", attentionMask.shape)}]", nameof(inputIds));
        }
        nn.Module?[] modules = [model as nn.Module, adapters];
        var wasTraining = modules.Select(m => m?.training ?? false).ToArray();
        foreach (var m in modules) { m?.eval(); }
        try
        {
            using var noGrad = torch.no_grad();
            var batch = (int)inputIds.shape[0];
            var rows = beam ? options.NumBeams : 1;
            using var memory = Encoded(model, adapters, inputIds, attentionMask, rows);
            using var cache = options.UseCache ? new KvCache(model.DecoderLayers) : null;
            var decoder = new StepDecoder(model, adapters, memory, cache);
            return beam ? new BeamRun(decoder, options, model, batch, onStep).Run()
                : new GreedyRun(decoder, options, model, batch, onStep).Run();
        }
        finally
        {
            for (var i = 0; i < modules.Length; i++) { modules[i]?.train(wasTraining[i]); }
        }
    }

    private static EncoderMemory Encoded(ISeq2SeqBackbone model, AdapterSet? adapters, Tensor inputIds, Tensor mask, int rows)
    {
        var memory = model.Encode(inputIds, mask, adapters);
        if (rows == 1) { return memory; }
        using (memory)
        {
            using var index = torch.arange(inputIds.shape[0], dtype: ScalarType.Int64, device: inputIds.device).repeat_interleave(rows);
            return memory.Select(index);
        }
    }
}
