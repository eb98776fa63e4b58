using PeftGrid.Contracts.Trials;
using PeftGrid.Models.Seq2Seq;
using PeftGrid.Tasks.Pipeline;
using PeftGrid.Tasks.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace PeftGrid.Tasks.Seq2Seq;

/// <summary>
/// The tokenized splits of a seq2seq trial (<see cref="Seq2SeqTask"/>) bound to how it trains and is scored (PAPER.md §3.3, §3.5):
/// <list type="bullet">
/// <item>Loss: teacher-forced token cross-entropy with label smoothing (<see cref="LabelSmoothedLoss"/>, HF <c>LabelSmoother</c>),
/// a mean over the batch's real target tokens; <see cref="StepLoss.Tokens"/> = those tokens.</item>
/// <item>Evaluate (each epoch): <c>loss</c> = plain token cross-entropy on the dev split (no smoothing, mean per target token); a
/// task that selects by its primary metric (XSum: ROUGE-2) also generates and scores every epoch (<see cref="Seq2SeqEvaluation"/>).</item>
/// <item>FinalEvaluate: a task that selects by loss (en-ro) generates and scores once, on the best epoch's weights.</item>
/// </list>
/// References are decoded from the target tokens truncated to <see cref="Seq2SeqTaskSettings.ReferenceMaxTokens"/>; predictions
/// are the generated ids decoded with special tokens skipped.
/// </summary>
public sealed class Seq2SeqData : ITaskData<Seq2SeqModel>
{
    private readonly Seq2SeqBatcher train;
    private readonly Seq2SeqBatcher eval;
    private readonly Seq2SeqEvaluation generation;
    private readonly ISeq2SeqTokenizer tokenizer;
    private readonly int evalBatchSize;
    private readonly double labelSmoothing;
    private readonly List<(IReadOnlyDictionary<string, double> Metrics, GenerationReport Report)> reports = [];

    /// <summary>Binds the batched splits to the task.</summary>
    /// <param name="settings">The task's settings (catalog entry, reference length, decoding).</param>
    /// <param name="tokenizer">The model's tokenizer (decoding, generation token ids).</param>
    /// <param name="train">Training batches.</param>
    /// <param name="eval">The evaluation pairs (batched by <see cref="Seq2SeqBatcher.EvalOrder"/> for the dev loss and generation).</param>
    /// <param name="evalBatchSize">Sentences per evaluation batch (memory only).</param>
    /// <param name="evalExamples">The evaluation examples, aligned with <paramref name="eval"/>'s pairs (references, samples).</param>
    /// <param name="labelSmoothing">Label smoothing ε of the training loss, in [0, 1).</param>
    /// <param name="droppedRows">Rows of the split files left out while reading (<c>file:line: reason</c>).</param>
    /// <exception cref="ArgumentException">ε outside [0, 1), an evaluation batch size below 1, or example and pair counts that differ.</exception>
    public Seq2SeqData(Seq2SeqTaskSettings settings, ISeq2SeqTokenizer tokenizer, Seq2SeqBatcher train, Seq2SeqBatcher eval,
        int evalBatchSize, IReadOnlyList<Seq2SeqExample> evalExamples, double labelSmoothing, IReadOnlyList<string>? droppedRows = null)
    {
        if (!(labelSmoothing >= 0 && labelSmoothing < 1)) throw new ArgumentException($"label smoothing must be in [0, 1) (got {labelSmoothing})", nameof(labelSmoothing));
        if (evalBatchSize < 1) throw new ArgumentException($"evaluation batch size must be at least 1 (got {evalBatchSize})", nameof(evalBatchSize));
        if (evalExamples.Count != eval.Count) throw new ArgumentException($"{evalExamples.Count} evaluation examples for {eval.Count} encoded pairs", nameof(evalExamples));
        Settings = settings;
        this.train = train;
        this.eval = eval;
        this.tokenizer = tokenizer;
        this.evalBatchSize = evalBatchSize;
        this.labelSmoothing = labelSmoothing;
        generation = new Seq2SeqEvaluation(settings, tokenizer, eval, evalBatchSize, evalExamples);
        DroppedRows = droppedRows ?? [];
    }

    /// <summary>The task's settings.</summary>
    public Seq2SeqTaskSettings Settings { get; }

    /// <summary>The dev loss key of <see cref="Evaluate"/>: mean token cross-entropy (nats per target token, no smoothing).</summary>
    public const string LossMetric = "loss";

    /// <inheritdoc />
    public string PrimaryMetric => Settings.Entry.PrimaryMetric;
    /// <inheritdoc />
    public string SelectionMetric => Settings.Entry.Selection;
    /// <inheritdoc />
    public bool SelectionLowerIsBetter => Settings.Entry.SelectionLowerIsBetter;
    /// <inheritdoc />
    public int TrainCount => train.Count;
    /// <inheritdoc />
    public int EvalCount => eval.Count;
    /// <inheritdoc />
    public string EvalFile => $"{Settings.Entry.Folder}/{Settings.Entry.EvalFile}";
    /// <inheritdoc />
    public int BatchesPerEpoch => train.BatchesPerEpoch;
    /// <inheritdoc />
    public IReadOnlyList<string> DroppedRows { get; }

    /// <summary>True when the task generates only in <see cref="FinalEvaluate"/> (selection by loss, en-ro).</summary>
    public bool GeneratesOnlyAtTheEnd => SelectionMetric == LossMetric;

    /// <inheritdoc />
    public GenerationReport? Generation { get; private set; }

    /// <inheritdoc />
    public IReadOnlyList<int[]> TrainOrder(int seed, int epoch) => train.TrainOrder(seed, epoch);

    /// <inheritdoc />
    public StepLoss Loss(Seq2SeqModel model, int[] batch, Device device)
    {
        var padded = train.Collate(batch, tokenizer);
        var (ids, mask, decoderIds, labels) = padded.ToTensors(device);
        var logits = model.forward(ids, mask, decoderIds);
        return new StepLoss(LabelSmoothedLoss.Compute(logits, labels, labelSmoothing), padded.Size, padded.TargetTokens);
    }

    /// <inheritdoc />
    public IReadOnlyDictionary<string, double> Evaluate(Seq2SeqModel model, Device device)
    {
        var metrics = new Dictionary<string, double> { [LossMetric] = DevLoss(model, device) };
        if (GeneratesOnlyAtTheEnd) return metrics;
        var (scores, report) = generation.Run(model, device);
        foreach (var (k, v) in scores) metrics[k] = v;
        reports.Add((metrics, report));
        Generation = report;
        return metrics;
    }

    /// <inheritdoc />
    public IReadOnlyDictionary<string, double> FinalEvaluate(Seq2SeqModel model, Device device, IReadOnlyDictionary<string, double> bestEpochMetrics)
    {
        if (!GeneratesOnlyAtTheEnd)
        {
            // the best epoch's generation report goes with its metrics
            Generation = reports.FirstOrDefault(r => ReferenceEquals(r.Metrics, bestEpochMetrics)).Report ?? Generation;
            return bestEpochMetrics;
        }
        var (scores, report) = generation.Run(model, device);
        var metrics = new Dictionary<string, double>(bestEpochMetrics);
        foreach (var (k, v) in scores) metrics[k] = v;
        Generation = report;
        return metrics;
    }

    /// <summary>Mean token cross-entropy of the dev split (no label smoothing): Σ −log p[label] / Σ label tokens, in eval mode
    /// with gradients off (the model's mode restored).</summary>
    /// <param name="model">The model.</param>
    /// <param name="device">Device of the model.</param>
    public double DevLoss(Seq2SeqModel model, Device device)
    {
        var wasTraining = model.training;
        model.eval();
        try
        {
            using var noGrad = torch.no_grad();
            double sum = 0;
            long tokens = 0;
            foreach (var indices in eval.EvalOrder(evalBatchSize))
            {
                using var scope = torch.NewDisposeScope();
                var (ids, mask, decoderIds, labels) = eval.Collate(indices, tokenizer).ToTensors(device);
                var (s, n) = LabelSmoothedLoss.Sum(model.forward(ids, mask, decoderIds), labels);
                sum += s;
                tokens += n;
            }
            return sum / Math.Max(1, tokens);
        }
        finally
        {
            model.train(wasTraining);
        }
    }
}
