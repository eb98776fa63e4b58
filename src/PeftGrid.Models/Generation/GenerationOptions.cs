using PeftGrid.Models.Seq2Seq;

namespace PeftGrid.Models.Generation;

/// <summary>
/// Decoding settings for <see cref="Seq2SeqGenerator"/>, named and interpreted like HF transformers' <c>generate</c> arguments
/// (semantics of transformers 4.3–4.26, the line the paper's fork belongs to; see <see cref="Seq2SeqGenerator"/>). Lengths count
/// decoder tokens <em>including</em> the decoder start token, as HF's <c>max_length</c>/<c>min_length</c> do for encoder-decoders.
/// Token ids left null come from the backbone's <see cref="ISeq2SeqBackbone.Tokens"/> (HF: from the model config).
/// </summary>
public sealed record GenerationOptions
{
    /// <summary>[num_beams] Beams per input; 1 = greedy search. Allowed: ≥ 1.</summary>
    public int NumBeams { get; init; } = 1;

    /// <summary>[max_length] Longest decoder sequence including the start token. Allowed: 2 … backbone's MaxTargetPositions.</summary>
    public int MaxLength { get; init; } = 20;

    /// <summary>[min_length] EOS is banned while the decoder sequence (start token included) is shorter than this
    /// (<c>MinLengthLogitsProcessor</c>). Allowed: 0 … <see cref="MaxLength"/>.</summary>
    public int MinLength { get; init; }

    /// <summary>[length_penalty] A finished beam hypothesis scores sum(log p) / length^LengthPenalty, length = its decoder tokens
    /// before EOS including the start token (<c>BeamHypotheses.add</c>). Allowed: any finite number.</summary>
    public double LengthPenalty { get; init; } = 1.0;

    /// <summary>[no_repeat_ngram_size] When &gt; 0, no n-gram of this size occurs twice in a decoder sequence (start token
    /// included; <c>NoRepeatNGramLogitsProcessor</c>). 0 disables. Allowed: ≥ 0.</summary>
    public int NoRepeatNgramSize { get; init; }

    /// <summary>[early_stopping] Beam search ends an input as soon as NumBeams hypotheses are finished (true) or only when no
    /// running beam can beat the worst finished one (false; HF's heuristic with the current length). Ignored by greedy search.</summary>
    public bool EarlyStopping { get; init; }

    /// <summary>[use_cache] Decode one new position per step with a <see cref="KvCache"/> (true) or re-decode the whole prefix.</summary>
    public bool UseCache { get; init; } = true;

    /// <summary>[decoder_start_token_id] The first decoder input (mBART: the target-language code); null = Tokens.DecoderStart.</summary>
    public int? DecoderStartTokenId { get; init; }

    /// <summary>[forced_bos_token_id] Forced as the first generated token (<c>ForcedBOSTokenLogitsProcessor</c>); null =
    /// Tokens.ForcedBos (which may itself be null: nothing forced).</summary>
    public int? ForcedBosTokenId { get; init; }

    /// <summary>[forced_eos_token_id] Forced as the last token when max_length is reached (<c>ForcedEOSTokenLogitsProcessor</c>);
    /// null = nothing forced.</summary>
    public int? ForcedEosTokenId { get; init; }

    /// <summary>[eos_token_id] Ends a sequence; null = Tokens.Eos.</summary>
    public int? EosTokenId { get; init; }

    /// <summary>[pad_token_id] Fills finished sequences while others continue; null = Tokens.Pad.</summary>
    public int? PadTokenId { get; init; }

    /// <summary>[num_return_sequences] Best hypotheses returned per input (beam search); null = 1. Allowed: 1 … NumBeams.</summary>
    public int? NumReturnSequences { get; init; }

    /// <summary>Record every step's raw decoder logits in <see cref="GeneratedSequence.StepLogits"/> (tests; memory-hungry).</summary>
    public bool RecordStepLogits { get; init; }

    /// <summary>The paper's XSum test decoding (PAPER.md §3.5, <c>exps/run_xsum.sh</c>): beams 6, min_length 10, max_length 60,
    /// no_repeat_ngram_size 3, length_penalty 1.0; early_stopping true from bart-large's config.json (the script does not set it).</summary>
    public static GenerationOptions XSum => new()
    {
        NumBeams = 6, MinLength = 10, MaxLength = 60, NoRepeatNgramSize = 3, LengthPenalty = 1.0, EarlyStopping = true,
    };

    /// <summary>The paper's en-ro generation settings (PAPER.md §3.5, <c>exps/run_en_ro.sh</c>): beams 5, min_length 1,
    /// max_length 200, no repeat-n-gram ban, length_penalty 1.0, early_stopping false (HF default; inferred, the script does not
    /// set it). Test prediction uses <see cref="EnRoTest"/> (max_length 150).</summary>
    public static GenerationOptions EnRo => new()
    {
        NumBeams = 5, MinLength = 1, MaxLength = 200, NoRepeatNgramSize = 0, LengthPenalty = 1.0, EarlyStopping = false,
    };

    /// <summary><see cref="EnRo"/> with max_length 150: the test <c>predict</c> call passes val_max_target_length = 150.</summary>
    public static GenerationOptions EnRoTest => EnRo with { MaxLength = 150 };

    /// <summary>The decoder start token after defaults.</summary>
    public int StartId(ISeq2SeqBackbone model) => DecoderStartTokenId ?? model.Tokens.DecoderStart;

    /// <summary>The EOS token after defaults.</summary>
    public int EosId(ISeq2SeqBackbone model) => EosTokenId ?? model.Tokens.Eos;

    /// <summary>The padding token after defaults.</summary>
    public int PadId(ISeq2SeqBackbone model) => PadTokenId ?? model.Tokens.Pad;

    /// <summary>The forced first token after defaults, or null.</summary>
    public int? ForcedBosId(ISeq2SeqBackbone model) => ForcedBosTokenId ?? model.Tokens.ForcedBos;

    /// <summary>Hypotheses returned per input after defaults.</summary>
    public int ReturnSequences => NumReturnSequences ?? 1;

    /// <summary>
    /// Checks these options against <paramref name="model"/>: NumBeams ≥ 1; MaxLength in [2, MaxTargetPositions]; MinLength in
    /// [0, MaxLength]; NoRepeatNgramSize ≥ 0; LengthPenalty finite; NumReturnSequences in [1, NumBeams]; every token id (explicit
    /// or the backbone's) in [0, vocabulary size).
    /// </summary>
    /// <exception cref="ArgumentException">The first offending field, with its allowed range, in one line.</exception>
    public GenerationOptions Validate(ISeq2SeqBackbone model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (NumBeams < 1) { throw Bad(nameof(NumBeams), "num_beams", "≥ 1", NumBeams); }
        if (MaxLength < 2 || MaxLength > model.MaxTargetPositions)
        {
            throw Bad(nameof(MaxLength), "max_length", $"2 … {model.MaxTargetPositions} (start token included; the backbone's MaxTargetPositions)", MaxLength);
        }
        if (MinLength < 0 || MinLength > MaxLength) { throw Bad(nameof(MinLength), "min_length", $"0 … MaxLength = {MaxLength}", MinLength); }
        if (NoRepeatNgramSize < 0) { throw Bad(nameof(NoRepeatNgramSize), "no_repeat_ngram_size", "≥ 0 (0 = off)", NoRepeatNgramSize); }
        if (!double.IsFinite(LengthPenalty)) { throw Bad(nameof(LengthPenalty), "length_penalty", "a finite number", LengthPenalty); }
        if (ReturnSequences < 1 || ReturnSequences > NumBeams)
        {
            throw Bad(nameof(NumReturnSequences), "num_return_sequences", $"1 … NumBeams = {NumBeams}", ReturnSequences);
        }
        var vocab = model.Shape.VocabSize;
        void Token(string field, string hf, int? id)
        {
            if (id is { } v && (v < 0 || v >= vocab)) { throw Bad(field, hf, $"a token id in 0 … {vocab - 1} (the vocabulary)", v); }
        }
        Token(nameof(DecoderStartTokenId), "decoder_start_token_id", StartId(model));
        Token(nameof(ForcedBosTokenId), "forced_bos_token_id", ForcedBosId(model));
        Token(nameof(ForcedEosTokenId), "forced_eos_token_id", ForcedEosTokenId);
        Token(nameof(EosTokenId), "eos_token_id", EosId(model));
        Token(nameof(PadTokenId), "pad_token_id", PadId(model));
        return this;
    }

    private static ArgumentException Bad(string field, string hf, string allowed, object value) =>
        new($"generation option {field} ({hf}) must be {allowed}; got {value}", field);
}
