using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using PeftGrid.Models;
using PeftGrid.Models.Generation;
using PeftGrid.Models.Seq2Seq;
using PeftGrid.Peft.Budget;
using PeftGrid.Peft.Catalog;
using PeftGrid.Peft.Framework;
using PeftGrid.Peft.Specs;
using PeftGrid.Tasks.Runner;
using PeftGrid.Tasks.Text;
using PeftGrid.Tasks.Training;
using Spectre.Console;
using TorchSharp;
using static TorchSharp.torch;

namespace PeftGrid.Benchmarks;

/// <summary>
/// <c>seq2seq</c> mode (issue 9): minilm2minilm on this machine. (1) One teacher-forced training step per method at batch 16 ×
/// source 256 / target 64 tokens of real XSum text (the first 16 training pairs, WordPiece seq2seq tokenizer, padded to exactly
/// 256 / 64): forward, cross-entropy over the labels, backward, AdamW step over every trainable parameter (the method's and
/// minilm2minilm's new parts); the median of N timed steps after the warmup, and the peak RSS of the training phase (kernel
/// high-water mark reset after loading). Each method runs in its own child process. Size-free methods are solved for a budget
/// tier of the true model size (<c>--budget</c>, default 1 %), sizes written in the spec stay. (2) Generation tokens/s of the
/// untrained base model for greedy and beam 6, with and without the KV cache, on the first validation documents (XSum decoding
/// settings: min 10, max 60, no-repeat 3-grams, length penalty 1), counting the returned sequences' tokens.
/// Usage: <c>seq2seq [--steps N] [--warmup N] [--threads N] [--budget P] [--methods a,b,...] [--gen-batch N] [--gen-max-length N]
/// [--data DIR] [--out FILE]</c>.
/// </summary>
public static class Seq2SeqBenchmark
{
    private const int Batch = 16, SourceTokens = 256, TargetTokens = 64, IgnoreIndex = -100;
    private const string Model = "minilm2minilm";
    private static readonly string[] DefaultMethods =
        ["full", "bitfit", "prompt[l=200]", "prefix", "lora-attn", "lora-ffn", "sa-attn", "pa-ffn", "scaled-pa", "mam"];

    /// <summary>One method's training-step measurements.</summary>
    /// <param name="Method">The spec as asked.</param>
    /// <param name="Spec">The resolved spec (sizes solved for the tier).</param>
    /// <param name="PaperCount">Paper-convention count (N_attn = 3, N_ffn = 2).</param>
    /// <param name="TrainableCount">Counted trainable parameters, new parts excluded.</param>
    /// <param name="NewParameters">minilm2minilm's new parts, trained too (not in the budget).</param>
    /// <param name="StepMilliseconds">Median step time, ms.</param>
    /// <param name="TargetTokensPerSecond">Batch × target tokens / step time.</param>
    /// <param name="PeakMemoryBytes">Peak RSS of the training phase.</param>
    /// <param name="LoadedMemoryBytes">RSS with the model loaded, before training.</param>
    /// <param name="Loss">The loss of the last step.</param>
    public sealed record TrainRow(string Method, string Spec, long PaperCount, long TrainableCount, long NewParameters, double StepMilliseconds,
        double TargetTokensPerSecond, long PeakMemoryBytes, long LoadedMemoryBytes, double Loss);

    /// <summary>One decoding setting's measurements.</summary>
    /// <param name="Search">greedy or beam N.</param>
    /// <param name="Cache">Whether the KV cache was used.</param>
    /// <param name="Inputs">Inputs generated for.</param>
    /// <param name="Tokens">Tokens in the returned sequences (EOS included).</param>
    /// <param name="Seconds">Wall time of the generate call (median of the timed runs).</param>
    /// <param name="PeakMemoryBytes">Peak RSS during the calls.</param>
    /// <param name="Sample">The first input's generation, decoded.</param>
    public sealed record GenerationRow(string Search, bool Cache, int Inputs, long Tokens, double Seconds, long PeakMemoryBytes, string Sample)
    {
        /// <summary>Returned tokens per second.</summary>
        public double TokensPerSecond => Tokens / Seconds;
    }

    /// <summary>Entry point for <c>seq2seq</c>; returns the exit code.</summary>
    public static int Run(string[] args)
    {
        string? Arg(string name) { var i = Array.IndexOf(args, name); return i >= 0 && i + 1 < args.Length ? args[i + 1] : null; }
        int IntArg(string name, int fallback) => int.Parse(Arg(name) ?? fallback.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        var steps = IntArg("--steps", 5);
        var warmup = IntArg("--warmup", 1);
        var threads = IntArg("--threads", Environment.ProcessorCount);
        var budget = double.Parse(Arg("--budget") ?? "1", CultureInfo.InvariantCulture);
        var genBatch = IntArg("--gen-batch", 4);
        var genMax = IntArg("--gen-max-length", 60);
        var data = Arg("--data") ?? DataRoot();
        PeftGrid.Models.Runtime.TorchRuntime.Initialize(threads);
        if (Arg("--single") is { } single)
        {
            Console.WriteLine(JsonSerializer.Serialize(MeasureTraining(single, steps, warmup, budget, data)));
            return 0;
        }
        if (args.Contains("--generation"))
        {
            Console.WriteLine(JsonSerializer.Serialize(MeasureGeneration(genBatch, genMax, Math.Max(1, steps / 2), data)));
            return 0;
        }
        var methods = (Arg("--methods") ?? string.Join(';', DefaultMethods)).Split(';', StringSplitOptions.RemoveEmptyEntries);
        var common = new[] { "--steps", $"{steps}", "--warmup", $"{warmup}", "--threads", $"{threads}", "--budget", budget.ToString("R", CultureInfo.InvariantCulture),
            "--gen-batch", $"{genBatch}", "--gen-max-length", $"{genMax}", "--data", data };
        var train = methods.Select(m => RunChild<TrainRow>(["seq2seq", "--single", m, .. common])).ToList();
        var generation = RunChild<List<GenerationRow>>(["seq2seq", "--generation", .. common]);
        Print(train, generation, threads, steps, genMax);
        var output = Arg("--out") ?? "seq2seq-benchmark.json";
        File.WriteAllText(output, JsonSerializer.Serialize(new
        {
            model = Model, batch = Batch, sourceTokens = SourceTokens, targetTokens = TargetTokens, threads, steps, warmup, budgetPercent = budget,
            train, generation = generation.Select(g => new { g.Search, g.Cache, g.Inputs, g.Tokens, g.Seconds, g.TokensPerSecond, g.PeakMemoryBytes, g.Sample }),
            versions = RuntimeVersions.Get(),
            memory = "peakMemoryBytes: peak RSS of the measured phase (kernel high-water mark reset after the model is loaded); loadedMemoryBytes: RSS with the model loaded",
        }, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase }));
        Console.WriteLine($"wrote {output}");
        return 0;
    }

    private static void Print(List<TrainRow> train, List<GenerationRow> generation, int threads, int steps, int maxLength)
    {
        if (Console.IsOutputRedirected)
        {
            AnsiConsole.Profile.Width = 200;   // a file or pipe has no width: one line per row
        }
        static string N(long v) => v.ToString("N0", CultureInfo.InvariantCulture);
        static string F(double v, string format) => v.ToString(format, CultureInfo.InvariantCulture);
        var full = train.FirstOrDefault(r => r.Method == "full");
        var table = new Table().Title($"minilm2minilm training step: batch {Batch} × {SourceTokens}/{TargetTokens} tokens, {threads} threads, median of {steps}")
            .AddColumns("method", "paper count", "trainable (+ new)", "step ms", "target tok/s", "peak RSS MiB", "train +MiB", "vs full peak", "loss");
        foreach (var r in train)
        {
            var vsFull = full is null ? "" : F(100.0 * (r.PeakMemoryBytes - full.PeakMemoryBytes) / full.PeakMemoryBytes, "+0.0;-0.0") + " %";
            table.AddRow(Markup.Escape(r.Spec), N(r.PaperCount), $"{N(r.TrainableCount)} + {N(r.NewParameters)}", F(r.StepMilliseconds, "0"),
                F(r.TargetTokensPerSecond, "0"), F(r.PeakMemoryBytes / 1048576.0, "0"), F((r.PeakMemoryBytes - r.LoadedMemoryBytes) / 1048576.0, "0"),
                vsFull, F(r.Loss, "0.000"));
        }
        AnsiConsole.Write(table);
        var gen = new Table().Title($"minilm2minilm generation (untrained), XSum settings: min {Math.Min(10, maxLength)}, max {maxLength}, no-repeat 3, length penalty 1")
            .AddColumns("search", "cache", "inputs", "tokens", "seconds", "tokens/s", "peak RSS MiB");
        foreach (var g in generation)
        {
            gen.AddRow(g.Search, g.Cache ? "yes" : "no", $"{g.Inputs}", N(g.Tokens), F(g.Seconds, "0.00"), F(g.TokensPerSecond, "0.0"), F(g.PeakMemoryBytes / 1048576.0, "0"));
        }
        AnsiConsole.Write(gen);
        Console.WriteLine($"sample (greedy): {generation.FirstOrDefault()?.Sample}");
    }

    private static T RunChild<T>(string[] args)
    {
        var self = Environment.GetCommandLineArgs()[0];
        var start = new ProcessStartInfo { RedirectStandardOutput = true, UseShellExecute = false };
        if (self.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)) { start.FileName = "dotnet"; start.ArgumentList.Add(self); }
        else start.FileName = Environment.ProcessPath!;
        foreach (var a in args) start.ArgumentList.Add(a);
        using var child = Process.Start(start)!;
        var text = child.StandardOutput.ReadToEnd();
        child.WaitForExit();
        if (child.ExitCode != 0) throw new InvalidOperationException($"benchmark child '{string.Join(' ', args)}' exited with {child.ExitCode}");
        return JsonSerializer.Deserialize<T>(text.Trim().Split('\n')[^1])!;
    }

    /// <summary>The data root: <c>$PEFTGRID_DATA</c>, else <c>/work/shared/data</c>.</summary>
    private static string DataRoot() => Environment.GetEnvironmentVariable("PEFTGRID_DATA") is { Length: > 0 } d ? d : "/work/shared/data";

    /// <summary>The first <paramref name="count"/> (document, summary) pairs of an XSum split.</summary>
    /// <exception cref="FileNotFoundException">The split is not under <paramref name="data"/>/xsum.</exception>
    public static List<(string Document, string Summary)> XSum(string data, string split, int count)
    {
        var path = Path.Combine(data, "xsum", split + ".jsonl");
        if (!File.Exists(path)) throw new FileNotFoundException($"XSum split '{path}' does not exist (see --data)", path);
        return File.ReadLines(path).Take(count).Select(line => JsonNode.Parse(line)!)
            .Select(n => ((string)n["document"]!, (string)n["summary"]!)).ToList();
    }

    private static TrainRow MeasureTraining(string method, int steps, int warmup, double budget, string data)
    {
        var shape = ModelCatalog.MiniLm2MiniLm.Shape;
        var config = PeftConfig.Parse(method);
        var free = config.Parts.Any(p => Presets.Get(p.Preset).Knobs.Any(k => k.IsSize && !p.Explicit.Contains(k.Name)));
        if (config.Backbone == BackboneTraining.Frozen && free) config = BudgetSolver.Solve(config, shape, budget).Config;
        config = config.ValidateFor(shape);
        var tokenizer = Tokenizer();
        var pairs = XSum(data, "train", Batch);
        torch.manual_seed(0);
        using var model = new Seq2SeqModel(ModelLoader.LoadSeq2Seq(Model));
        model.ApplyPeft(config);
        model.train();
        var trainable = model.TrainableParameters().ToList();
        var counted = model.CountedBudget();
        using var optimizer = OptimizerFactory.Create(trainable, new TrainerOptions { LearningRate = 1e-4 });
        using var source = Padded(pairs.Select(p => tokenizer.EncodeSource(p.Document, SourceTokens)), SourceTokens, tokenizer.PadId);
        using var mask = source.ne(tokenizer.PadId).to(ScalarType.Int64);
        var labelIds = pairs.Select(p => tokenizer.EncodeTarget(p.Summary, TargetTokens)).ToList();
        using var labels = Padded(labelIds, TargetTokens, IgnoreIndex);
        using var decoderInput = Padded(labelIds.Select(tokenizer.DecoderInput), TargetTokens, tokenizer.PadId);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        using var meter = PeakMemoryMeter.Start();
        var times = new List<double>();
        var loss = double.NaN;
        for (var s = 0; s < warmup + steps; s++)
        {
            var clock = Stopwatch.StartNew();
            using (var scope = torch.NewDisposeScope())
            {
                optimizer.zero_grad();
                var logits = model.forward(source, mask, decoderInput);
                var l = nn.functional.cross_entropy(logits.reshape(-1, logits.shape[^1]), labels.reshape(-1), ignore_index: IgnoreIndex);
                l.backward();
                nn.utils.clip_grad_norm_(trainable.Select(p => p.Parameter), 1.0);
                optimizer.step();
                loss = l.item<float>();
            }
            if (s >= warmup) times.Add(clock.Elapsed.TotalSeconds);
        }
        times.Sort();
        var step = times[times.Count / 2];
        return new TrainRow(method, config.Spec, counted.PaperCount, counted.TrainableCount, model.NewParameterCount(), step * 1000,
            Batch * TargetTokens / step, meter.PeakBytes, meter.BaselineBytes, loss);
    }

    private static List<GenerationRow> MeasureGeneration(int inputs, int maxLength, int runs, string data)
    {
        var tokenizer = Tokenizer();
        var docs = XSum(data, "validation", inputs);
        torch.manual_seed(0);
        using var backbone = ModelLoader.LoadSeq2Seq(Model);
        var encoded = docs.Select(d => tokenizer.EncodeSource(d.Document, SourceTokens)).ToList();
        using var ids = Padded(encoded, encoded.Max(e => e.Length), tokenizer.PadId);
        using var mask = ids.ne(tokenizer.PadId).to(ScalarType.Int64);
        var rows = new List<GenerationRow>();
        foreach (var beams in new[] { 1, 6 })
        {
            foreach (var cache in new[] { true, false })
            {
                var options = GenerationOptions.XSum with { NumBeams = beams, MaxLength = maxLength, MinLength = Math.Min(10, maxLength), UseCache = cache };
                Seq2SeqGenerator.Generate(backbone, null, ids.narrow(0, 0, 1), mask.narrow(0, 0, 1), options with { MaxLength = 4, MinLength = 0 });   // warmup
                GC.Collect();
                using var meter = PeakMemoryMeter.Start();
                var times = new List<double>();
                IReadOnlyList<GeneratedSequence> result = [];
                for (var r = 0; r < runs; r++)
                {
                    var clock = Stopwatch.StartNew();
                    result = Seq2SeqGenerator.Generate(backbone, null, ids, mask, options);
                    times.Add(clock.Elapsed.TotalSeconds);
                }
                times.Sort();
                rows.Add(new GenerationRow(beams == 1 ? "greedy" : $"beam {beams}", cache, inputs, result.Sum(s => (long)s.Tokens.Count),
                    times[times.Count / 2], meter.PeakBytes, tokenizer.Decode(result[0].Tokens.Select(t => (int)t))));
            }
        }
        return rows;
    }

    private static ISeq2SeqTokenizer Tokenizer() => WordPieceSeq2SeqEncoder.MiniLm();

    /// <summary>Rows of <paramref name="sequences"/> right-padded with <paramref name="pad"/> to <paramref name="length"/>: [N, length] int64.</summary>
    private static Tensor Padded(IEnumerable<IReadOnlyList<int>> sequences, int length, long pad)
    {
        var list = sequences.ToList();
        var flat = new long[list.Count * length];
        Array.Fill(flat, pad);
        for (var i = 0; i < list.Count; i++)
        {
            for (var j = 0; j < Math.Min(length, list[i].Count); j++) flat[i * length + j] = list[i][j];
        }
        return torch.tensor(flat, [list.Count, length]);
    }
}
