using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using PeftGrid.Models;
using PeftGrid.Peft.Budget;
using PeftGrid.Peft.Framework;
using PeftGrid.Tasks.Runner;
using PeftGrid.Tasks.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace PeftGrid.Benchmarks;

/// <summary>
/// <c>train</c> mode: one training step of MiniLM at a fixed batch (32 × 64 tokens) for full, bitfit, lora-attn, pa-ffn, prefix
/// and mam (the last four at the 0.5 % tier). Each method runs in its own child process so its peak RSS is its own. Reports step
/// time, examples/s, tokens/s, peak RSS, trainable parameters, and achieved FLOP/s (analytic model FLOPs of the step / step time)
/// over the machine's matmul FLOP/s measured in the same run (fp32 1024² matmul).
/// Usage: <c>train [--steps N] [--warmup N] [--threads N] [--out FILE] [--methods a,b,...]</c>.
/// </summary>
public static class TrainBenchmark
{
    private const int Batch = 32, Tokens = 64;
    private static readonly string[] DefaultMethods = ["full", "bitfit", "lora-attn", "pa-ffn", "prefix", "mam"];

    /// <summary>One method's measurements.</summary>
    public sealed record Row(string Method, string Spec, long TrainableParameters, long TrainableWithHead, double StepMilliseconds,
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
        torch.set_num_threads(threads);
        if (Arg("--single") is { } single)
        {
            Console.WriteLine(JsonSerializer.Serialize(Measure(single, steps, warmup)));
            return 0;
        }
        var methods = (Arg("--methods") ?? string.Join(',', DefaultMethods)).Split(',', StringSplitOptions.RemoveEmptyEntries);
        var matmul = MatmulGflops();
        Console.WriteLine($"matmul fp32 1024x1024: {matmul:0.0} GFLOP/s ({threads} threads)");
        var rows = methods.Select(m => RunChild(m, steps, warmup, threads)).ToList();
        var full = rows.FirstOrDefault(r => r.Method == "full");
        Console.WriteLine($"{"method",-10} {"trainable",12} {"step ms",9} {"ex/s",7} {"tok/s",8} {"peak MiB",9} {"train +MiB",10} {"vs full",8} {"GFLOP/s",8} {"% matmul",8}");
        foreach (var r in rows)
        {
            var vsFull = full is null ? "" : $"{100.0 * (r.PeakMemoryBytes - full.PeakMemoryBytes) / full.PeakMemoryBytes:+0.0;-0.0}%";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{r.Method,-10} {r.TrainableParameters,12:N0} {r.StepMilliseconds,9:0} {r.ExamplesPerSecond,7:0.0} {r.TokensPerSecond,8:0} {r.PeakMemoryBytes / 1048576.0,9:0} {r.TrainingOverheadBytes / 1048576.0,10:0} {vsFull,8} {r.AchievedGflops,8:0.0} {100 * r.AchievedGflops / matmul,7:0.0}%"));
        }
        var output = Arg("--out") ?? "train-benchmark.json";
        File.WriteAllText(output, JsonSerializer.Serialize(new
        {
            batch = Batch, tokens = Tokens, threads, steps, matmulGflops = matmul, rows, versions = RuntimeVersions.Get(),
            memory = "peakMemoryBytes: peak RSS of the training phase (kernel high-water mark reset after the model is loaded; managed heap + libtorch native); loadedMemoryBytes: RSS with the model loaded; processPeakBytes: whole child process including ONNX loading",
        }, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase }));
        Console.WriteLine($"wrote {output}");
        return 0;
    }

    private static Row RunChild(string method, int steps, int warmup, int threads)
    {
        var self = Environment.GetCommandLineArgs()[0];
        var start = new ProcessStartInfo { RedirectStandardOutput = true, UseShellExecute = false };
        if (self.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)) { start.FileName = "dotnet"; start.ArgumentList.Add(self); }
        else start.FileName = Environment.ProcessPath!;
        foreach (var a in new[] { "train", "--single", method, "--steps", $"{steps}", "--warmup", $"{warmup}", "--threads", $"{threads}" }) start.ArgumentList.Add(a);
        using var child = Process.Start(start)!;
        var text = child.StandardOutput.ReadToEnd();
        child.WaitForExit();
        if (child.ExitCode != 0) throw new InvalidOperationException($"benchmark child for {method} exited with {child.ExitCode}");
        return JsonSerializer.Deserialize<Row>(text.Trim().Split('\n')[^1])!;
    }

    private static double MatmulGflops()
    {
        torch.manual_seed(0);
        using var a = torch.randn(1024, 1024);
        using var b = torch.randn(1024, 1024);
        for (var i = 0; i < 3; i++) { using var w = a.matmul(b); }
        var best = double.MaxValue;
        for (var i = 0; i < 10; i++)
        {
            var clock = Stopwatch.StartNew();
            using var c = a.matmul(b);
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
        }
        return 2.0 * 1024 * 1024 * 1024 / best / 1e9;
    }

    private static Row Measure(string method, int steps, int warmup)
    {
        using var processMeter = PeakMemoryMeter.Start();
        var shape = ModelLoader.Shape("minilm");
        var config = PeftConfig.Parse(method);
        if (config.Backbone == BackboneTraining.Frozen) config = BudgetSolver.Solve(config, shape, 0.5).Config;
        torch.manual_seed(0);
        using var model = ModelLoader.LoadClassifier("minilm", 2);
        model.ApplyPeft(config);
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
                var loss = nn.functional.cross_entropy(model.forward(ids, types, mask), labels);
                loss.backward();
                nn.utils.clip_grad_norm_(trainable.Select(p => p.Parameter), 1.0);
                optimizer.step();
            }
            if (s >= warmup) times.Add(clock.Elapsed.TotalSeconds);
        }
        times.Sort();
        var step = times[times.Count / 2];
        var flops = StepFlops(shape, config.Backbone == BackboneTraining.All);
        return new Row(method, config.Spec, counted.TrainableCount, trainable.Sum(p => p.Parameter.numel()), step * 1000, Batch / step,
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
