using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using PeftGrid.Contracts.Trials;
using PeftGrid.Models;
using PeftGrid.Models.Runtime;
using PeftGrid.Peft.Budget;
using PeftGrid.Peft.Framework;
using PeftGrid.Tasks.Runner;
using PeftGrid.Tasks.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace PeftGrid.Benchmarks;

/// <summary>
/// <c>train</c> mode: one training step of MiniLM at a fixed batch (32 × 64 tokens) for full, bitfit, lora-attn, pa-ffn, prefix
/// and mam (the last four at the 0.5 % tier), in fp32 or bf16 (autocast forward, fp32 master weights; optionally the frozen base
/// stored in bf16). Each method runs in its own child process so its peak RSS is its own. Reports step time, examples/s, tokens/s,
/// peak RSS, trainable parameters, and achieved FLOP/s (analytic model FLOPs of the step / step time) over the machine's best
/// measured matmul (<see cref="MatmulReference"/>: the best of libtorch and OpenBLAS, not libtorch's own figure).
/// With <c>--reference PYTHON</c> it runs PyTorch eager side by side instead (<see cref="SideBySide"/>).
/// Usage: <c>train [--steps N] [--warmup N] [--threads N] [--precision fp32|bf16] [--low-precision-base] [--out FILE]
/// [--methods a,b,...] [--reference PYTHON [--rounds N]]</c>.
/// </summary>
public static class TrainBenchmark
{
    private const int Batch = 32, Tokens = 64;
    private static readonly string[] DefaultMethods = ["full", "bitfit", "lora-attn", "pa-ffn", "prefix", "mam"];

    /// <summary>One method's measurements.</summary>
    public sealed record Row(string Method, string Spec, string Precision, bool LowPrecisionBase, long TrainableParameters, long TrainableWithHead, double StepMilliseconds,
        double ExamplesPerSecond, double TokensPerSecond, long PeakMemoryBytes, long LoadedMemoryBytes, long ProcessPeakBytes,
        double ModelFlopsPerStep, double AchievedGflops)
    {
        /// <summary>Training-phase peak above the RSS with the model loaded: gradients, optimizer state, activations.</summary>
        public long TrainingOverheadBytes => PeakMemoryBytes - LoadedMemoryBytes;
    }

    /// <summary>Entry point for <c>train</c>; returns the exit code.</summary>
    public static int Run(string[] args)
    {
        string? Arg(string name) { var i = Array.IndexOf(args, name); return i >= 0 && i + 1 < args.Length ? args[i + 1] : null; }
        var steps = int.Parse(Arg("--steps") ?? "5", CultureInfo.InvariantCulture);
        var warmup = int.Parse(Arg("--warmup") ?? "1", CultureInfo.InvariantCulture);
        var threads = int.Parse(Arg("--threads") ?? Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        var precision = ParsePrecision(Arg("--precision") ?? "fp32");
        var lowPrecisionBase = args.Contains("--low-precision-base");
        if (lowPrecisionBase && precision == TrainingPrecision.Fp32) throw new ArgumentException("--low-precision-base: needs --precision bf16 (the base is stored in the autocast dtype)");
        var runtime = TorchRuntime.Initialize(threads);
        if (Arg("--single") is { } single)
        {
            Console.WriteLine(JsonSerializer.Serialize(Measure(single, steps, warmup, precision, lowPrecisionBase)));
            return 0;
        }
        foreach (var warning in runtime.Warnings) Console.WriteLine($"warning: {warning}");
        var precisions = Arg("--reference") is not null && Arg("--precision") is null ? [TrainingPrecision.Fp32, TrainingPrecision.Bf16] : new[] { precision };
        if (precisions.Contains(TrainingPrecision.Bf16)
            && PrecisionSupport.Check(DeviceType.CPU, ScalarType.BFloat16, runtime.Cpu) is { } slow) Console.WriteLine($"warning: {slow}"); // throws without a bf16 kernel
        var methods = (Arg("--methods") ?? string.Join(',', DefaultMethods)).Split(',', StringSplitOptions.RemoveEmptyEntries);
        var before = MatmulReference.Measure(threads);
        MatmulReference Matmul()
        {
            var m = MatmulReference.Max(before, MatmulReference.Measure(threads));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"matmul 1024² (best of before/after): libtorch fp32 {m.LibtorchFp32:0.0}, libtorch bf16 {m.LibtorchBf16:0.0}, OpenBLAS fp32 {m.OpenBlasFp32?.ToString("0.0", CultureInfo.InvariantCulture) ?? "-"} GFLOP/s ({threads} threads; {m.Note}; MKL {runtime.Blas.CodePath})"));
            return m;
        }
        if (Arg("--reference") is { } python)
        {
            return SideBySide.Run(python, methods, steps, warmup, threads, int.Parse(Arg("--rounds") ?? "2", CultureInfo.InvariantCulture),
                precisions, lowPrecisionBase, Matmul, runtime, Arg("--out") ?? "train-side-by-side.json");
        }
        var rows = methods.Select(m => RunChild(m, steps, warmup, threads, precision, lowPrecisionBase)).ToList();
        var matmul = Matmul();
        var best = precision == TrainingPrecision.Fp32 ? matmul.BestFp32 : matmul.BestAny;
        var full = rows.FirstOrDefault(r => r.Method == "full");
        Console.WriteLine($"{"method",-10} {"trainable",12} {"step ms",9} {"ex/s",7} {"tok/s",8} {"peak MiB",9} {"train +MiB",10} {"vs full",8} {"GFLOP/s",8} {"% best",7}");
        foreach (var r in rows)
        {
            var vsFull = full is null ? "" : $"{100.0 * (r.PeakMemoryBytes - full.PeakMemoryBytes) / full.PeakMemoryBytes:+0.0;-0.0}%";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{r.Method,-10} {r.TrainableParameters,12:N0} {r.StepMilliseconds,9:0} {r.ExamplesPerSecond,7:0.0} {r.TokensPerSecond,8:0} {r.PeakMemoryBytes / 1048576.0,9:0} {r.TrainingOverheadBytes / 1048576.0,10:0} {vsFull,8} {r.AchievedGflops,8:0.0} {100 * r.AchievedGflops / best,6:0.0}%"));
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"% best = of {best:0.0} GFLOP/s ({(precision == TrainingPrecision.Fp32 ? "best fp32 matmul" : "best of fp32 and bf16 matmul")})"));
        var output = Arg("--out") ?? "train-benchmark.json";
        File.WriteAllText(output, JsonSerializer.Serialize(new
        {
            batch = Batch, tokens = Tokens, threads, steps, precision = TrainingPrecisions.Name(precision), lowPrecisionBase, matmul,
            bestMatmulGflops = best, rows, versions = RuntimeVersions.Get(), runtime,
            memory = "peakMemoryBytes: peak RSS of the training phase (kernel high-water mark reset after the model is loaded; managed heap + libtorch native); loadedMemoryBytes: RSS with the model loaded; processPeakBytes: whole child process including ONNX loading",
        }, Json));
        Console.WriteLine($"wrote {output}");
        return 0;
    }

    /// <summary>Indented camelCase JSON for the benchmark files.</summary>
    internal static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>fp32 or bf16 via the one parser (<see cref="TrainingPrecisions.Parse"/>); fp16 has no fast CPU kernel to benchmark.</summary>
    /// <exception cref="ArgumentException">Anything else, naming the option and the allowed values.</exception>
    private static TrainingPrecision ParsePrecision(string text) => TrainingPrecisions.Parse(text) is var p && p != TrainingPrecision.Fp16 ? p
        : throw new ArgumentException($"--precision: '{text}' is not benchmarked on CPU (no fp16 kernel); allowed: fp32, bf16");

    /// <summary>The method's configuration as trained: a frozen-base preset solved to the 0.5 % tier of MiniLM.</summary>
    internal static PeftConfig Resolve(string method)
    {
        var config = PeftConfig.Parse(method);
        return config.Backbone == BackboneTraining.Frozen ? BudgetSolver.Solve(config, ModelLoader.Shape("minilm"), 0.5).Config : config;
    }

    /// <summary>Runs one method in a child process of this benchmark and returns its row.</summary>
    internal static Row RunChild(string method, int steps, int warmup, int threads, TrainingPrecision precision, bool lowPrecisionBase)
    {
        var self = Environment.GetCommandLineArgs()[0];
        var start = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (self.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)) { start.FileName = "dotnet"; start.ArgumentList.Add(self); }
        else start.FileName = Environment.ProcessPath!;
        foreach (var a in new[] { "train", "--single", method, "--steps", $"{steps}", "--warmup", $"{warmup}", "--threads", $"{threads}",
            "--precision", TrainingPrecisions.Name(precision) }) start.ArgumentList.Add(a);
        if (lowPrecisionBase) start.ArgumentList.Add("--low-precision-base");
        using var child = Process.Start(start)!;
        var errors = child.StandardError.ReadToEndAsync();
        var text = child.StandardOutput.ReadToEnd();
        child.WaitForExit();
        if (child.ExitCode != 0)
        {
            var cause = errors.Result.Split('\n').FirstOrDefault(l => l.Length > 0 && !l.StartsWith("warning", StringComparison.Ordinal)) ?? "no stderr";
            throw new InvalidOperationException($"benchmark child for {method} ({TrainingPrecisions.Name(precision)}) exited with {child.ExitCode}: {cause}");
        }
        return JsonSerializer.Deserialize<Row>(text.Trim().Split('\n')[^1])!;
    }

    private static Row Measure(string method, int steps, int warmup, TrainingPrecision precision, bool lowPrecisionBase)
    {
        using var processMeter = PeakMemoryMeter.Start();
        var shape = ModelLoader.Shape("minilm");
        var config = Resolve(method);
        torch.manual_seed(0);
        using var model = ModelLoader.LoadClassifier("minilm", 2);
        model.ApplyPeft(config);
        if (lowPrecisionBase) LowPrecisionBase.Apply(model, ScalarType.BFloat16);
        model.train();
        var trainable = model.TrainableParameters().ToList();
        var counted = model.CountedBudget();
        using var optimizer = OptimizerFactory.Create(trainable, new TrainerOptions { LearningRate = 1e-4 });
        var generator = new Random(0);
        var ids = torch.tensor(Enumerable.Range(0, Batch * Tokens).Select(_ => (long)generator.Next(1000, 30000)).ToArray(), [Batch, Tokens]);
        var types = torch.zeros(Batch, Tokens, ScalarType.Int64);
        var mask = torch.ones(Batch, Tokens, ScalarType.Int64);
        var labels = torch.tensor(Enumerable.Range(0, Batch).Select(i => (long)(i % 2)).ToArray());
        GC.Collect();
        GC.WaitForPendingFinalizers();
        using var meter = PeakMemoryMeter.Start(); // training phase only: resets the kernel's high-water mark
        var times = new List<double>();
        for (var s = 0; s < warmup + steps; s++)
        {
            var clock = Stopwatch.StartNew();
            using (var scope = torch.NewDisposeScope())
            {
                optimizer.zero_grad();
                Tensor loss;
                using (precision == TrainingPrecision.Bf16 ? Autocast.Enter(DeviceType.CPU, ScalarType.BFloat16) : null)
                {
                    loss = nn.functional.cross_entropy(model.forward(ids, types, mask), labels);
                }
                loss.backward();
                nn.utils.clip_grad_norm_(trainable.Select(p => p.Parameter), 1.0);
                optimizer.step();
            }
            if (s >= warmup) times.Add(clock.Elapsed.TotalSeconds);
        }
        times.Sort();
        var step = times[times.Count / 2];
        var flops = StepFlops(shape, config.Backbone == BackboneTraining.All);
        return new Row(method, config.Spec, TrainingPrecisions.Name(precision), lowPrecisionBase, counted.TrainableCount, trainable.Sum(p => p.Parameter.numel()), step * 1000, Batch / step,
            Batch * Tokens / step, meter.PeakBytes, meter.BaselineBytes, processMeter.PeakBytes, flops, flops / step / 1e9);
    }

    /// <summary>Analytic FLOPs of one training step of the base encoder at B × T: forward (projections 8d², FFN 4·d·d_m,
    /// attention 4·T·d per token and layer) × 3 when weights get gradients (full), × 2 otherwise (activation gradients only).
    /// Δh modules and the head are not counted (they are &lt; 3 % here).</summary>
    public static double StepFlops(ModelShape shape, bool weightGradients)
    {
        double d = shape.HiddenSize, dm = shape.IntermediateSize;
        var perToken = shape.NumLayers * (8 * d * d + 4 * d * dm + 4.0 * Tokens * d);
        var forward = perToken * Batch * Tokens;
        return forward * (weightGradients ? 3 : 2);
    }
}
