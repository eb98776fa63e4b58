using System.CommandLine;
using System.Globalization;
using PeftGrid.Contracts.Trials;
using PeftGrid.Peft.Catalog;
using PeftGrid.Tasks.Adapters;
using PeftGrid.Tasks.Pipeline;
using PeftGrid.Tasks.Runner;
using PeftGrid.Tasks.Seq2Seq;
using PeftGrid.Tasks.Training;
using Spectre.Console;

namespace PeftGrid.Cli.Commands;

/// <summary>
/// <c>peftgrid train --task sst2|mnli|xsum|wmt16-en-ro [--model minilm|minilm2minilm|bart-large|mbart-large-cc25] --method SPEC
/// [--budget P%] [--data DIR] [--seed S] [--epochs E] [--max-train-examples N] [--max-length T] [--max-target-length T]
/// [--max-tokens-per-batch N] [--lr LR] [--precision fp32|bf16|fp16] [--low-precision-base] [--out FILE] [--save-adapter DIR] [--json]</c>: one trial in this process (DESIGN.md §6)
/// with a live progress bar, a final table (<see cref="TrainReport"/>) and the result JSON. The model defaults by the task's kind
/// (<see cref="DefaultModel"/>), the max length by the task (<see cref="DefaultMaxLength"/>). Exit codes: 0 succeeded, 1 bad input
/// or failure (one line on stderr), 2 diverged or cancelled (the result is still written).
/// </summary>
public static class TrainCommand
{
    /// <summary>GLUE's default max length in tokens (classification).</summary>
    public const int GlueMaxLength = 128;

    /// <summary>The model <c>--model</c> defaults to for <paramref name="task"/>: <c>minilm2minilm</c> for a seq2seq task (XSum,
    /// WMT16 en-ro), <c>minilm</c> for classification.</summary>
    /// <exception cref="ArgumentException">Unknown task; the message lists the allowed values.</exception>
    public static string DefaultModel(string task) =>
        TaskCatalog.Find(task).Kind == TaskKind.Seq2Seq ? ModelCatalog.MiniLm2MiniLm.Name : ModelCatalog.MiniLM.Name;

    /// <summary>The max (source) length <c>--max-length</c> defaults to for <paramref name="task"/>: <see cref="GlueMaxLength"/> (128)
    /// for classification, the paper's source length for a seq2seq task (<see cref="Seq2SeqTaskSettings.PaperSourceLength"/>: XSum 512,
    /// en-ro 150).</summary>
    /// <exception cref="ArgumentException">Unknown task; the message lists the allowed values.</exception>
    public static int DefaultMaxLength(string task) => TaskCatalog.Find(task) is { Kind: TaskKind.Seq2Seq } entry
        ? Seq2SeqTaskSettings.For(entry).PaperSourceLength
        : GlueMaxLength;

    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var supported = TorchTrialRunner.Supported;
        var task = new Option<string>("--task") { Description = $"{string.Join(", ", supported.Tasks)} (mnli-mm evaluates on dev_mismatched)", Required = true };
        var model = new Option<string?>("--model")
        {
            Description = $"model; runnable here: {string.Join(", ", supported.Models)}; seq2seq also bart-large, mbart-large-cc25 where their weights are (default: minilm for GLUE, minilm2minilm for xsum / wmt16-en-ro)",
        };
        var method = new Option<string>("--method") { Description = "method spec, e.g. lora-attn, full, \"mam[l=16,r=16,s=2]\"", Required = true };
        var budget = new Option<string?>("--budget") { Description = "budget tier in % of the model's parameters, e.g. 0.5%; sizes are solved for it" };
        var data = new Option<string?>("--data") { Description = "data root holding glue/, xsum/, wmt16-ro-en/ (default: $PEFTGRID_DATA, else ../shared/data beside the checkout)" };
        var seed = new Option<int>("--seed") { Description = "seed for init, dropout and data order", DefaultValueFactory = _ => 42 };
        var epochs = new Option<int>("--epochs") { Description = "training epochs", DefaultValueFactory = _ => 1 };
        var maxTrain = new Option<int?>("--max-train-examples") { Description = "use the first N training examples after a seeded shuffle" };
        var maxEval = new Option<int?>("--max-eval-examples") { Description = "evaluate on the first N dev examples" };
        var maxLength = new Option<int?>("--max-length") { Description = "max (source) tokens per example, ≥ 8 (default: GLUE 128; xsum 512, wmt16-en-ro 150 as in the paper)" };
        var maxTarget = new Option<int?>("--max-target-length") { Description = "seq2seq: max target tokens in training, ≥ 4 (default: xsum 128, wmt16-en-ro 150)" };
        var maxTokens = new Option<int?>("--max-tokens-per-batch") { Description = "seq2seq: batch by tokens, at most N padded tokens per batch (default: wmt16-en-ro 1024; xsum batches by --batch-size sentences)" };
        var batch = new Option<int>("--batch-size") { Description = "sequences per batch", DefaultValueFactory = _ => 32 };
        var lr = new Option<double?>("--lr") { Description = "peak learning rate (default: the method's, see README 'Training')" };
        var prefixLr = new Option<double?>("--prefix-lr") { Description = "peak learning rate of the prefix encoder (prefix, mam, mh-pa, …; default: a tenth of the peak rate)" };
        var precision = new Option<string>("--precision")
        {
            Description = "training precision: fp32, bf16 (autocast; CPUs with AVX512_BF16/AMX or CUDA) or fp16 (autocast + loss scaling; CUDA, AVX512_FP16/AMX-FP16)",
            DefaultValueFactory = _ => "fp32",
        };
        var lowPrecisionBase = new Option<bool>("--low-precision-base") { Description = "with bf16/fp16: store the frozen base in that dtype (half its memory)" };
        var threads = new Option<int?>("--threads") { Description = "libtorch intra-op threads (default: processor count)" };
        var output = new Option<string?>("--out") { Description = "write the result JSON here" };
        var saveAdapter = new Option<string?>("--save-adapter") { Description = "write adapter_model.safetensors + adapter_config.json to this folder" };
        var json = new Option<bool>("--json") { Description = "print the result JSON instead of the table (no progress bar)" };
        var command = new Command("train", "Train and evaluate one configuration on a GLUE, XSum or WMT16 en-ro task in this process")
        {
            task, model, method, budget, data, seed, epochs, maxTrain, maxEval, maxLength, maxTarget, maxTokens, batch, lr, prefixLr, precision, lowPrecisionBase,
            threads, output, saveAdapter, json,
        };
        command.SetAction((parse, ct) => CliErrors.Guard(async () =>
        {
            var taskName = parse.GetValue(task)!;
            var spec = new TrialSpec
            {
                Task = taskName, Model = parse.GetValue(model) ?? DefaultModel(taskName), Method = parse.GetValue(method)!, Seed = parse.GetValue(seed),
                BudgetPercent = parse.GetValue(budget) is { } b ? BudgetCommand.ParsePercent(b, "--budget") : null,
                Profile = new TrainingProfile
                {
                    Epochs = parse.GetValue(epochs), MaxTrainExamples = parse.GetValue(maxTrain), MaxEvalExamples = parse.GetValue(maxEval),
                    MaxLength = parse.GetValue(maxLength) ?? DefaultMaxLength(taskName), BatchSize = parse.GetValue(batch),
                    LearningRate = parse.GetValue(lr), PrefixLearningRate = parse.GetValue(prefixLr),
                    MaxTargetLength = parse.GetValue(maxTarget), MaxTokensPerBatch = parse.GetValue(maxTokens),
                    Precision = TrainingPrecisions.Parse(parse.GetValue(precision)!), LowPrecisionBase = parse.GetValue(lowPrecisionBase),
                },
            };
            var dataRoot = Tasks.Data.DataRoot.Resolve(parse.GetValue(data));
            var plan = TrialPlan.Create(spec, dataRoot); // bad input → one-line error, exit 1
            var asJson = parse.GetValue(json);
            CliRuntime.Prepare(parse.GetValue(threads));
            using var execution = asJson || Console.IsOutputRedirected
                ? await Task.Run(() => Execute(spec, dataRoot, parse.GetValue(threads), null, ct), ct)
                : await RunWithProgress(spec, plan, dataRoot, parse.GetValue(threads), ct);
            var result = execution.Result;
            if (result.Status == TrialStatus.Failed) throw new InvalidOperationException(result.Error ?? "trial failed");
            if (parse.GetValue(output) is { } path) ResultJson.Write(path, result);
            if (parse.GetValue(saveAdapter) is { } folder && execution.Model is not null) AdapterFiles.Save(folder, execution);
            if (asJson) Console.WriteLine(ResultJson.Serialize(result));
            else TrainReport.Print(result, parse.GetValue(output), parse.GetValue(saveAdapter));
            if (result.Status != TrialStatus.Succeeded)
            {
                await Console.Error.WriteLineAsync($"peftgrid: {result.Status.ToString().ToLowerInvariant()}: {result.Error}");
                return 2;
            }
            return 0;
        }));
        return command;
    }

    private static TrialExecution Execute(TrialSpec spec, string dataRoot, int? threads, Action<TrainStepInfo>? onStep, CancellationToken ct) =>
        TrialExecutors.Default.Execute(spec, dataRoot, new TrialRunOptions { Threads = threads, OnStep = onStep, CancellationToken = ct });

    private static async Task<TrialExecution> RunWithProgress(TrialSpec spec, TrialPlan plan, string dataRoot, int? threads, CancellationToken ct)
    {
        TrialExecution? execution = null;
        await AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .StartAsync(async ctx =>
            {
                var bar = ctx.AddTask(Markup.Escape($"{plan.Task.Name} {plan.Config.Spec} lr={plan.LearningRate:g3}: loading"), maxValue: 1);
                execution = await Task.Run(() => Execute(spec, dataRoot, threads, info =>
                {
                    bar.MaxValue = info.TotalSteps;
                    bar.Value = info.Step;
                    bar.Description = Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                        $"epoch {info.Epoch} step {info.Step}/{info.TotalSteps} loss {info.Loss:0.0000} {info.ExamplesPerSecond:0.0} ex/s"));
                }, ct), ct);
                bar.Value = bar.MaxValue;
            });
        return execution!;
    }
}
