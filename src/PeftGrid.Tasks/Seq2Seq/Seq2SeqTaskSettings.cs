using PeftGrid.Models.Generation;
using PeftGrid.Peft.Catalog;

namespace PeftGrid.Tasks.Seq2Seq;

/// <summary>How a seq2seq task trains and is scored: the one place holding the paper's per-task settings (PAPER.md §3.3, §3.5,
/// <c>exps/run_xsum.sh</c>, <c>exps/run_en_ro.sh</c>). A profile overrides lengths and batching; the rest are the task's.</summary>
public sealed record Seq2SeqTaskSettings
{
    /// <summary>The task's catalog entry.</summary>
    public required TaskEntry Entry { get; init; }
    /// <summary>JSON field of the source text: <c>document</c> (XSum) or <c>translation.en</c> (WMT16, dotted = nested).</summary>
    public required string SourceField { get; init; }
    /// <summary>JSON field of the target text: <c>summary</c> or <c>translation.ro</c>.</summary>
    public required string TargetField { get; init; }
    /// <summary>JSON field of the example id (<c>id</c>), or null when rows have none (the id is then the 1-based line).</summary>
    public string? IdField { get; init; }
    /// <summary>The paper's source length in tokens (<c>max_source_length</c>: XSum 512, en-ro 150).</summary>
    public required int PaperSourceLength { get; init; }
    /// <summary>Training target length in tokens (<c>max_target_length</c>: XSum 128, en-ro 150), special tokens included.</summary>
    public required int TargetLength { get; init; }
    /// <summary>References are decoded from target tokens truncated to this length (<c>val_max_target_length</c>: XSum 60, en-ro 150).</summary>
    public required int ReferenceMaxTokens { get; init; }
    /// <summary>Decoding of every generating evaluation (XSum: <see cref="GenerationOptions.XSum"/>; en-ro: <see cref="GenerationOptions.EnRoTest"/>).</summary>
    public required GenerationOptions Generation { get; init; }
    /// <summary>AdamW β1 (both tasks 0.9).</summary>
    public double Beta1 { get; init; } = 0.9;
    /// <summary>AdamW β2 (XSum 0.999, HF default; en-ro 0.98).</summary>
    public required double Beta2 { get; init; }
    /// <summary>AdamW ε (XSum 1e-8; en-ro 1e-6).</summary>
    public required double Epsilon { get; init; }
    /// <summary>Decoupled weight decay (0.01 for both).</summary>
    public double WeightDecay { get; init; } = 0.01;
    /// <summary>Warmup fraction (0 for both).</summary>
    public double WarmupRatio { get; init; }
    /// <summary>Global gradient-norm clip (XSum 0.1, en-ro 1.0).</summary>
    public required double MaxGradNorm { get; init; }
    /// <summary>Label smoothing ε (0.1 for both).</summary>
    public double LabelSmoothing { get; init; } = 0.1;
    /// <summary>Where the polynomial (power 1) decay ends: HF <c>lr_end</c> default 1e-7.</summary>
    public double EndLearningRate { get; init; } = 1e-7;
    /// <summary>Default max padded tokens per training batch when the task batches by tokens (en-ro), null when it batches by
    /// sentences (XSum). The paper's en-ro uses 4096 × 4 accumulation on a 48 GB GPU; this build's default suits a CPU.</summary>
    public int? DefaultMaxTokensPerBatch { get; init; }
    /// <summary>Token batches hold a multiple of this many sentences when they hold at least that many (fairseq
    /// <c>required_batch_size_multiple</c>; the paper 64, this build's CPU default 8).</summary>
    public int BatchSizeMultiple { get; init; } = 8;

    /// <summary>XSum: <c>document</c> → <c>summary</c>, ROUGE, selection by ROUGE-2.</summary>
    public static Seq2SeqTaskSettings XSum { get; } = new()
    {
        Entry = TaskCatalog.XSum, SourceField = "document", TargetField = "summary", IdField = "id",
        PaperSourceLength = 512, TargetLength = 128, ReferenceMaxTokens = 60, Generation = GenerationOptions.XSum,
        Beta2 = 0.999, Epsilon = 1e-8, MaxGradNorm = 0.1,
    };

    /// <summary>WMT16 en→ro: <c>translation.en</c> → <c>translation.ro</c>, BLEU, selection by dev loss, token batches.</summary>
    public static Seq2SeqTaskSettings EnRo { get; } = new()
    {
        Entry = TaskCatalog.Wmt16EnRo, SourceField = "translation.en", TargetField = "translation.ro",
        PaperSourceLength = 150, TargetLength = 150, ReferenceMaxTokens = 150, Generation = GenerationOptions.EnRoTest,
        Beta2 = 0.98, Epsilon = 1e-6, MaxGradNorm = 1.0, DefaultMaxTokensPerBatch = 1024,
    };

    /// <summary>The settings of every seq2seq task of the catalog.</summary>
    public static IReadOnlyList<Seq2SeqTaskSettings> All { get; } = [XSum, EnRo];

    /// <summary>The settings of <paramref name="entry"/>.</summary>
    /// <exception cref="ArgumentException">Not a seq2seq task of this build; the message lists them.</exception>
    public static Seq2SeqTaskSettings For(TaskEntry entry) => All.FirstOrDefault(s => ReferenceEquals(s.Entry, entry))
        ?? throw new ArgumentException($"task '{entry.Name}' is not a seq2seq task of this build; seq2seq tasks: {string.Join(", ", All.Select(s => s.Entry.Name))}");
}
