using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using PeftGrid.Peft.Catalog;

namespace PeftGrid.Contracts.Trials;

/// <summary>
/// How a trial trains: the knobs that change a result and therefore belong to a cell's identity.
/// Immutable; a new setting is a new cell.
/// </summary>
[GenerateSerializer, Immutable, Alias("peftgrid.TrainingProfile")]
public sealed record TrainingProfile
{
    /// <summary>Training epochs over the (possibly capped) training split. Default 1.</summary>
    [Id(0)] public int Epochs { get; init; } = 1;
    /// <summary>Cap on training examples (first N after a seeded shuffle); null = the whole split.</summary>
    [Id(1)] public int? MaxTrainExamples { get; init; }
    /// <summary>Cap on evaluation examples (first N of the dev split); null = the whole split.</summary>
    [Id(2)] public int? MaxEvalExamples { get; init; }
    /// <summary>Maximum sequence length in tokens (≥ 8): the input of a classifier, the source of a seq2seq task. Default 128.
    /// (The paper: GLUE 512, XSum source 512, en-ro 150; a CLI or grid for a seq2seq task sets it.)</summary>
    [Id(3)] public int MaxLength { get; init; } = 128;
    /// <summary>Training batch size in sequences. Default 32 (the paper's GLUE batch, PAPER.md §3.5).</summary>
    [Id(4)] public int BatchSize { get; init; } = 32;
    /// <summary>Peak learning rate; null = the method's documented default (see the trainer's defaults table).</summary>
    [Id(5)] public double? LearningRate { get; init; }
    /// <summary>
    /// Peak learning rate of the prefix encoder (prefix tuning's P_k, P_v or their reparametrization MLP, in
    /// <c>prefix</c>, <c>prefix-nogate</c>, <c>mh-pa</c>, <c>mam</c>, <c>prefix+lora-ffn</c>); null = the trainer's
    /// default, a tenth of the peak learning rate (the MLP at the full rate destabilises MAM on MNLI; README "Training").
    /// </summary>
    [Id(6)] public double? PrefixLearningRate { get; init; }

    /// <summary>Seq2seq only: maximum target tokens in training (special tokens included); null = the task's default (PAPER.md §3.5:
    /// XSum 128, en-ro 150). Evaluation references are truncated to the task's own evaluation length (XSum 60, en-ro 150).</summary>
    [Id(7)] public int? MaxTargetLength { get; init; }
    /// <summary>Seq2seq only: dynamic batching by tokens — at most this many padded tokens per training batch, counting each
    /// example as max(source, target) length (PAPER.md §3.5, fairseq <c>batch_by_size</c>); null = the task's default (en-ro:
    /// batches by tokens at the trainer's default; XSum: batches of <see cref="BatchSize"/> sentences).</summary>
    [Id(8)] public int? MaxTokensPerBatch { get; init; }
    /// <summary>Numeric precision of training (<see cref="TrainingPrecision"/>; <c>--precision</c>, grid key <c>precision</c>). Default
    /// <see cref="TrainingPrecision.Fp32"/>; part of the cell id only when not fp32 (<c>;p=bf16</c>), so older ids stay stable.</summary>
    [Id(9)] public TrainingPrecision Precision { get; init; } = TrainingPrecision.Fp32;
    /// <summary>Mixed precision only: store the frozen base (every parameter that is not trained) in the training precision's dtype,
    /// halving its memory; trainable parameters stay float32 master copies. Default false; part of the cell id only when true
    /// (<c>;lpb=1</c>). Invalid with <see cref="TrainingPrecision.Fp32"/>.</summary>
    [Id(10)] public bool LowPrecisionBase { get; init; }

    /// <summary>The canonical text form used in cell ids, e.g. <c>e=1;n=20000;v=;t=128;b=32;lr=</c>
    /// (<c>;plr=…</c>, <c>;tt=…</c>, <c>;tok=…</c>, <c>;p=…</c> (precision not fp32), <c>;lpb=1</c> appended only when set, so
    /// older cell ids stay stable).</summary>
    public string Canonical() => string.Create(CultureInfo.InvariantCulture,
        $"e={Epochs};n={MaxTrainExamples};v={MaxEvalExamples};t={MaxLength};b={BatchSize};lr={LearningRate:R}")
        + (PrefixLearningRate is { } plr ? string.Create(CultureInfo.InvariantCulture, $";plr={plr:R}") : "")
        + (MaxTargetLength is { } tt ? string.Create(CultureInfo.InvariantCulture, $";tt={tt}") : "")
        + (MaxTokensPerBatch is { } tok ? string.Create(CultureInfo.InvariantCulture, $";tok={tok}") : "")
        + (Precision != TrainingPrecision.Fp32 ? $";p={TrainingPrecisions.Name(Precision)}" : "")
        + (LowPrecisionBase ? ";lpb=1" : "");
}

/// <summary>
/// One cell of a grid: task × model × method × budget tier × seed, plus the training profile.
/// The <see cref="CellId"/> is a stable hash of all of these, so resubmitting a grid never duplicates a cell.
/// </summary>
[GenerateSerializer, Immutable, Alias("peftgrid.TrialSpec")]
public sealed record TrialSpec
{
    /// <summary>Task name: <c>sst2</c> or <c>mnli</c> (GLUE); <c>xsum</c>, <c>wmt16-en-ro</c> are known but need an encoder-decoder.</summary>
    [Id(0)] public required string Task { get; init; }
    /// <summary>Model name (<c>minilm</c>, <c>bert-base-uncased</c>, <c>roberta-base</c>) or a path to an HF <c>config.json</c> folder.</summary>
    [Id(1)] public required string Model { get; init; }
    /// <summary>
    /// PEFT configuration in the compact text form, e.g. <c>mam[l=16,r=16,s=2]</c> or <c>prefix[l=30]|scaled-pa[r=512,s=4]</c>;
    /// the worker solves the sizes it leaves free for <see cref="BudgetPercent"/>. A grid writes the canonical form here:
    /// <see cref="Peft.Framework.PeftConfig.Spec"/>, or <see cref="Peft.Framework.PeftConfig.TierSpec"/> (free sizes <c>*</c>) for a tier.
    /// </summary>
    [Id(2)] public required string Method { get; init; }
    /// <summary>Budget tier in % of the model's parameters (e.g. 0.5); null = the method's explicit or default sizes.</summary>
    [Id(3)] public double? BudgetPercent { get; init; }
    /// <summary>Random seed for init, dropout and data order.</summary>
    [Id(4)] public int Seed { get; init; } = 42;
    /// <summary>Training profile.</summary>
    [Id(5)] public TrainingProfile Profile { get; init; } = new();
    /// <summary>
    /// The identity of the task's data files (<see cref="DataIdentity"/>): name, size in bytes and the first 16 hex digits of the
    /// SHA-256 of each split file, e.g. <c>train.tsv:3689813:d5f96c38d2bf5d6f;dev.tsv:116283:ef90ece61df13b1e</c>. Filled by the
    /// client when it expands a grid from its data root; hashed into <see cref="CellId"/>, so other data is another cell; checked
    /// by the worker against its own files before training (a mismatch fails the trial). Empty (cells from before issue 8, or
    /// built without a data root): the id is the one without a data identity, and the worker does not check.
    /// </summary>
    [Id(6)] public string Data { get; init; } = "";

    /// <summary>The canonical text this cell's id hashes: task and model by their catalog names (<see cref="TaskCatalog.Canonical"/>,
    /// <see cref="ModelCatalog.Canonical"/>: an alias or another letter case is the same cell), the configuration's identity
    /// (<see cref="CellIdentity.Method"/>: its canonical resolved form, whatever the spelling), budget, seed, profile and, when set,
    /// <c>|data=</c><see cref="Data"/> (absent for an empty <see cref="Data"/>, so ids of cells without a data identity are unchanged).</summary>
    public string Canonical() => string.Create(CultureInfo.InvariantCulture,
        $"task={TaskCatalog.Canonical(Task)}|model={ModelCatalog.Canonical(Model)}|method={CellIdentity.Method(Method, Model, BudgetPercent)}|budget={BudgetPercent:R}|seed={Seed}|{Profile.Canonical()}")
        + (string.IsNullOrEmpty(Data) ? "" : $"|data={Data}");

    /// <summary>Stable cell id: the first 16 hex digits of SHA-256 of <see cref="Canonical"/>.</summary>
    public string CellId => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Canonical())))[..16];
}
