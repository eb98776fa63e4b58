namespace PeftGrid.Contracts.Trials;

/// <summary>
/// How a seq2seq trial's metrics were produced: the decoding settings of the final evaluation (PAPER.md §3.5: XSum beams 6,
/// length 10–60, no-repeat 3; en-ro beams 5, max 150), how references were prepared, each metric's signature and a few
/// sample outputs. The <c>generation</c> object of result.json.
/// </summary>
[GenerateSerializer, Immutable, Alias("peftgrid.GenerationReport")]
public sealed record GenerationReport
{
    /// <summary>Beam width (1 = greedy).</summary>
    [Id(0)] public int NumBeams { get; init; }
    /// <summary>Minimum generated length in tokens (decoder start excluded, HF semantics).</summary>
    [Id(1)] public int MinLength { get; init; }
    /// <summary>Maximum generated length in tokens (HF <c>max_length</c>, decoder start included).</summary>
    [Id(2)] public int MaxLength { get; init; }
    /// <summary>No n-gram of this size is generated twice; 0 = off.</summary>
    [Id(3)] public int NoRepeatNgramSize { get; init; }
    /// <summary>Beam-search length penalty (exponent of the length in the score).</summary>
    [Id(4)] public double LengthPenalty { get; init; }
    /// <summary>References are decoded from their target tokens truncated to this many tokens (XSum 60, en-ro 150; PAPER.md §3.3).</summary>
    [Id(5)] public int ReferenceMaxTokens { get; init; }
    /// <summary>Examples generated and scored.</summary>
    [Id(6)] public int Examples { get; init; }
    /// <summary>Wall time of generation and scoring of the final evaluation, seconds.</summary>
    [Id(7)] public double Seconds { get; init; }
    /// <summary>Generated tokens per second of <see cref="Seconds"/>.</summary>
    [Id(8)] public double TokensPerSecond { get; init; }
    /// <summary>Each reported metric's signature by metric name, e.g. <c>bleu</c> →
    /// <c>nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.4.0</c> (sacreBLEU's), <c>rouge2</c> → <c>rouge_score: stemmer on, …</c>.</summary>
    [Id(9)] public IReadOnlyDictionary<string, string> Signatures { get; init; } = new Dictionary<string, string>();
    /// <summary>A few (source, reference, prediction) triples of the evaluation split, in its order.</summary>
    [Id(10)] public IReadOnlyList<GenerationSample> Samples { get; init; } = [];
}

/// <summary>One generated output next to its input and reference.</summary>
[GenerateSerializer, Immutable, Alias("peftgrid.GenerationSample")]
public sealed record GenerationSample
{
    /// <summary>Example id (XSum <c>id</c>; en-ro: the 1-based line of the split file).</summary>
    [Id(0)] public string Id { get; init; } = "";
    /// <summary>The source text, cut to its first 300 characters.</summary>
    [Id(1)] public string Source { get; init; } = "";
    /// <summary>The reference as scored (decoded from the truncated target tokens).</summary>
    [Id(2)] public string Reference { get; init; } = "";
    /// <summary>The model's output.</summary>
    [Id(3)] public string Prediction { get; init; } = "";
}
