using PeftGrid.Contracts.Trials;
using PeftGrid.Peft.Catalog;
using PeftGrid.Tasks.Pipeline;
using PeftGrid.Tasks.Runner;
using PeftGrid.Tasks.Seq2Seq;

namespace PeftGrid.Tasks.Tests.Seq2Seq;

/// <summary>The seq2seq task definition on the real XSum / en-ro files: subsampling, batching, settings, plan validation.</summary>
public class Seq2SeqTaskTests
{
    private static TrialSpec Spec(string task = "xsum", string model = "minilm2minilm", string method = "lora-attn", int? tokens = null, int? target = 48) => new()
    {
        Task = task, Model = model, Method = method, Seed = 42,
        Profile = new TrainingProfile
        {
            MaxTrainExamples = 20, MaxEvalExamples = 5, MaxLength = 64, MaxTargetLength = target, BatchSize = 4, MaxTokensPerBatch = tokens,
        },
    };

    [Fact]
    public void Xsum_options_are_the_papers_settings_with_the_profiles_rates()
    {
        var plan = TrialPlan.Create(Spec(), TestData.Root);
        var o = new Seq2SeqTask().Options(plan);
        Assert.Equal((0.9, 0.999, 1e-8, 0.01, 0.0, 0.1, 0.1, 1e-7), (o.Beta1, o.Beta2, o.Epsilon, o.WeightDecay, o.WarmupRatio, o.MaxGradNorm, o.LabelSmoothing, o.EndLearningRate));
        Assert.Equal((1, 4, 1e-3, 42), (o.Epochs, o.BatchSize, o.LearningRate, o.Seed));   // lora-attn: the PEFT default 1e-3
        Assert.Equal(1e-4, o.RoleLearningRates[Peft.Adapters.ParameterRole.PrefixEncoder], 12);
        Assert.Equal(3e-4, TrialPlan.Create(Spec(method: "full"), TestData.Root).LearningRate, 12);   // seq2seq full: measured, README
    }

    [Fact]
    public void En_ro_options_and_token_batches()
    {
        var plan = TrialPlan.Create(Spec("wmt16-en-ro"), TestData.Root);
        var o = new Seq2SeqTask().Options(plan);
        Assert.Equal((0.98, 1e-6, 1.0, 0.1), (o.Beta2, o.Epsilon, o.MaxGradNorm, o.LabelSmoothing));
        Assert.Equal(1024, plan.MaxTokensPerBatch);   // the task's CPU default
        var data = (Seq2SeqData)new Seq2SeqTask().Load(plan);
        Assert.Equal((20, 5, "wmt16-ro-en/validation.jsonl"), (data.TrainCount, data.EvalCount, data.EvalFile));
        Assert.Equal(("bleu", "loss", true, true), (data.PrimaryMetric, data.SelectionMetric, data.SelectionLowerIsBetter, data.GeneratesOnlyAtTheEnd));
        // 20 pairs of at most 64 tokens fit one 1024-token batch: 16 sentences (the multiple of 8) + the rest of 4
        Assert.Equal(2, data.BatchesPerEpoch);
        Assert.Equal(20, data.TrainOrder(42, 0).Sum(b => b.Length));
        Assert.Empty(data.DroppedRows);
    }

    [Fact]
    public void Xsum_load_subsamples_after_a_seeded_shuffle_and_batches_by_sentences()
    {
        var plan = TrialPlan.Create(Spec(), TestData.Root);
        var data = (Seq2SeqData)new Seq2SeqTask().Load(plan);
        Assert.Equal((20, 5, 5, "xsum/validation.jsonl"), (data.TrainCount, data.EvalCount, data.BatchesPerEpoch, data.EvalFile));
        Assert.Equal(("rouge2", "rouge2", false, false), (data.PrimaryMetric, data.SelectionMetric, data.SelectionLowerIsBetter, data.GeneratesOnlyAtTheEnd));
        Assert.Equal(Enumerable.Range(0, 20), data.TrainOrder(42, 0).SelectMany(b => b).Order());
        Assert.Null(data.Generation);
    }

    [Fact]
    public void References_are_decoded_from_targets_cut_at_the_reference_length()
    {
        var tokenizer = PeftGrid.Tasks.Text.Seq2SeqTokenizers.For(ModelCatalog.MiniLm2MiniLm, null);
        var example = new Seq2SeqExample("1", "a source", string.Join(' ', Enumerable.Repeat("word", 100)), 1);
        var pairs = Seq2SeqEncoding.Encode([example], tokenizer, 16, 16);
        var evaluation = new Seq2SeqEvaluation(Seq2SeqTaskSettings.XSum, tokenizer, Seq2SeqBatcher.BySentences(pairs, 1), 1, [example]);
        // XSum references keep 60 tokens: 59 words + [SEP] (skipped when decoding), whatever the training target length (16)
        Assert.Equal(string.Join(' ', Enumerable.Repeat("word", 59)), evaluation.References[0]);
        Assert.Equal((6, 10, 60, 3, 101, 102, 0), (evaluation.Options.NumBeams, evaluation.Options.MinLength, evaluation.Options.MaxLength,
            evaluation.Options.NoRepeatNgramSize, evaluation.Options.DecoderStartTokenId, evaluation.Options.EosTokenId, evaluation.Options.PadTokenId));
    }

    [Fact]
    public void The_trainer_runs_seq2seq_tasks_on_minilm2minilm_only()
    {
        Assert.Equal(["sst2", "mnli", "mnli-mm", "xsum", "wmt16-en-ro"], TorchTrialRunner.Supported.Tasks);
        Assert.Equal(["minilm", "minilm2minilm"], TorchTrialRunner.Supported.Models);
        Assert.Equal([TaskKind.Classification, TaskKind.Seq2Seq], TrialExecutors.Default.Kinds);
        Assert.Equal(TaskKind.Seq2Seq, TrialExecutors.Default.For(TaskKind.Seq2Seq).Kind);
        var runner = new TorchTrialRunner(TestData.Root, threads: 1);
        Assert.Null(runner.Refusal(Spec()));
        Assert.Null(runner.Refusal(Spec("wmt16-en-ro")));
        Assert.Equal("model 'minilm' (Encoder) cannot run task 'xsum' (seq2seq); this build runs seq2seq tasks on: minilm2minilm",
            runner.Refusal(Spec(model: "minilm")));
        Assert.Equal("model 'minilm2minilm' (EncoderDecoder) cannot run task 'sst2' (classification); this build runs classification tasks on: minilm",
            runner.Refusal(Spec("sst2", target: null)));
        Assert.Equal("model 'bart-large' is not run by this build's trainer for task 'xsum'; it runs: minilm2minilm", runner.Refusal(Spec(model: "bart-large")));
        Assert.Equal("model 'mbart-large-cc25' is not run by this build's trainer for task 'wmt16-en-ro'; it runs: minilm2minilm",
            runner.Refusal(Spec("wmt16-en-ro", model: "mbart-large")));
    }

    [Theory]
    [InlineData(513, "max target length 513 is beyond minilm2minilm's 512 decoder positions; allowed: 4 … 512")]
    [InlineData(3, "max target length must be at least 4 (got 3)")]
    public void Target_length_outside_the_models_positions_is_refused(int target, string expected)
    {
        var e = Assert.Throws<ArgumentException>(() => TrialPlan.Create(Spec(target: target), TestData.Root));
        Assert.Equal(expected, e.Message);
    }
}
