using System.Diagnostics;
using PeftGrid.Contracts.Trials;
using PeftGrid.Models.Generation;
using PeftGrid.Models.Seq2Seq;
using PeftGrid.Tasks.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace PeftGrid.Tasks.Seq2Seq;

/// <summary>
/// Generates for every evaluation example with the task's decoding settings (<see cref="Seq2SeqTaskSettings.Generation"/>, token
/// ids from the tokenizer) and scores the outputs (<see cref="Seq2SeqScoring"/>) against references decoded from the target tokens
/// truncated to <see cref="Seq2SeqTaskSettings.ReferenceMaxTokens"/> (PAPER.md §3.3). Runs the model in eval mode with gradients
/// off and restores its mode.
/// </summary>
public sealed class Seq2SeqEvaluation
{
    /// <summary>Samples (source, reference, prediction) kept in the report: the split's first ones.</summary>
    public const int SampleCount = 3;
    /// <summary>Characters of the source kept in a sample.</summary>
    public const int SampleSourceChars = 300;

    private readonly Seq2SeqTaskSettings settings;
    private readonly ISeq2SeqTokenizer tokenizer;
    private readonly Seq2SeqBatcher eval;
    private readonly int batchSize;
    private readonly IReadOnlyList<Seq2SeqExample> examples;

    /// <summary>Prepares the references of <paramref name="examples"/>.</summary>
    /// <param name="settings">The task: decoding, reference length, metrics.</param>
    /// <param name="tokenizer">The model's tokenizer.</param>
    /// <param name="eval">The evaluation pairs (<see cref="Seq2SeqBatcher.EvalOrder"/> batches generation).</param>
    /// <param name="batchSize">Sentences per generation batch (memory only).</param>
    /// <param name="examples">The evaluation examples, aligned with <paramref name="eval"/>'s pairs.</param>
    public Seq2SeqEvaluation(Seq2SeqTaskSettings settings, ISeq2SeqTokenizer tokenizer, Seq2SeqBatcher eval, int batchSize, IReadOnlyList<Seq2SeqExample> examples)
    {
        this.settings = settings;
        this.tokenizer = tokenizer;
        this.eval = eval;
        this.batchSize = batchSize;
        this.examples = examples;
        References = examples.Select(e => tokenizer.Decode(tokenizer.EncodeTarget(e.Target, settings.ReferenceMaxTokens)).Trim()).ToList();
        Options = settings.Generation with
        {
            DecoderStartTokenId = tokenizer.DecoderStartId, ForcedBosTokenId = tokenizer.ForcedBosId,
            EosTokenId = tokenizer.EosId, PadTokenId = tokenizer.PadId,
        };
    }

    /// <summary>The references, in split order: <c>Decode(EncodeTarget(target, ReferenceMaxTokens))</c>, special tokens skipped, stripped.</summary>
    public IReadOnlyList<string> References { get; }

    /// <summary>The decoding settings: the task's, with the tokenizer's start, forced-BOS, EOS and pad ids.</summary>
    public GenerationOptions Options { get; }

    /// <summary>Generates for the whole split and scores it.</summary>
    /// <param name="model">The model (its adapters are used).</param>
    /// <param name="device">Device of the model.</param>
    /// <returns>The task's metrics and the report (settings, seconds, tokens/s, signatures, samples).</returns>
    public (Dictionary<string, double> Metrics, GenerationReport Report) Run(Seq2SeqModel model, Device device)
    {
        var clock = Stopwatch.StartNew();
        var predictions = Predict(model, device, out var generatedTokens);
        var (metrics, signatures) = Seq2SeqScoring.Score(settings.Entry, predictions, References);
        var seconds = clock.Elapsed.TotalSeconds;
        var report = new GenerationReport
        {
            NumBeams = Options.NumBeams, MinLength = Options.MinLength, MaxLength = Options.MaxLength,
            NoRepeatNgramSize = Options.NoRepeatNgramSize, LengthPenalty = Options.LengthPenalty,
            ReferenceMaxTokens = settings.ReferenceMaxTokens, Examples = predictions.Count, Seconds = seconds,
            TokensPerSecond = generatedTokens / Math.Max(1e-9, seconds), Signatures = signatures,
            Samples = Enumerable.Range(0, Math.Min(SampleCount, predictions.Count)).Select(i => new GenerationSample
            {
                Id = examples[i].Id,
                Source = examples[i].Source.Length <= SampleSourceChars ? examples[i].Source : examples[i].Source[..SampleSourceChars],
                Reference = References[i], Prediction = predictions[i],
            }).ToList(),
        };
        return (metrics, report);
    }

    /// <summary>The decoded outputs in split order (special tokens skipped) and the generated token count (decoder start excluded).</summary>
    /// <param name="model">The model.</param>
    /// <param name="device">Device of the model.</param>
    /// <param name="generatedTokens">Tokens generated in all, the start token excluded.</param>
    public IReadOnlyList<string> Predict(Seq2SeqModel model, Device device, out long generatedTokens)
    {
        var predictions = new string[eval.Count];
        generatedTokens = 0;
        var wasTraining = model.training;
        model.eval();
        try
        {
            using var noGrad = torch.no_grad();
            foreach (var indices in eval.EvalOrder(batchSize))
            {
                using var scope = torch.NewDisposeScope();
                var (ids, mask, _, _) = eval.Collate(indices, tokenizer).ToTensors(device);
                foreach (var g in Seq2SeqGenerator.Generate(model.Backbone, model.Adapters, ids, mask, Options))
                {
                    predictions[indices[g.InputIndex]] = tokenizer.Decode(g.Tokens.Select(t => (int)t), skipSpecialTokens: true).Trim();
                    generatedTokens += Math.Max(0, g.Tokens.Count - 1);
                }
            }
        }
        finally
        {
            model.train(wasTraining);
        }
        return predictions;
    }
}
