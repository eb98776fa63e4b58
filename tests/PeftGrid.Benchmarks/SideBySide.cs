using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using PeftGrid.Contracts.Trials;
using PeftGrid.Models;
using PeftGrid.Models.Runtime;
using PeftGrid.Peft.Framework;
using PeftGrid.Tasks.Runner;

namespace PeftGrid.Benchmarks;

/// <summary>
/// <c>train --reference PYTHON</c>: PeftGrid and PyTorch eager (<c>reference/train_reference.py</c>, run by PYTHON, e.g. Debian's
/// <c>/usr/bin/python3</c> with <c>python3-torch</c> + <c>libopenblas0-pthread</c>, installed by <c>eng/bench-reference.sh</c>) on the
/// same shapes, methods and solved sizes, alternating per method and round (PeftGrid fp32, PyTorch fp32, PeftGrid bf16, …) so drift
/// hits both sides alike. Each side's figure is the median over rounds of its per-process median step. Ratios are PyTorch ms /
/// PeftGrid ms (above 1 = PeftGrid faster). Trainable counts (head included) must match; a mismatch is flagged in the table.
/// </summary>
public static class SideBySide
{
    /// <summary>One PyTorch process's result (the JSON line train_reference.py prints).</summary>
    public sealed record PythonRow(string Method, long TrainableWithHead, long TrainableWithoutHead, double StepMilliseconds,
        string Torch, int Threads, string Blas);

    /// <summary>One method's side-by-side figures (ms are medians over rounds; null = not run); <c>Modifications</c> is the solved
    /// configuration handed to the script (JSON), so a row can be re-run with train_reference.py alone.</summary>
    public sealed record Line(string Method, string Spec, string Modifications, double? PeftGridFp32Ms, double? PeftGridBf16Ms, double PyTorchFp32Ms,
        double? RatioFp32, double? RatioBf16, double? GflopsFp32, double? PercentBestFp32, double? GflopsBf16, double? PercentBestBf16,
        long PeftGridTrainable, long PyTorchTrainable, IReadOnlyList<TrainBenchmark.Row> PeftGridRuns, IReadOnlyList<PythonRow> PyTorchRuns);

    /// <summary>Runs the comparison, prints the table and writes <paramref name="output"/>; returns the exit code (1 on a count mismatch).
    /// <paramref name="measureMatmul"/> is called once after the runs (the best matmul, <see cref="MatmulReference"/>).</summary>
    public static int Run(string python, IReadOnlyList<string> methods, int steps, int warmup, int threads, int rounds,
        IReadOnlyList<TrainingPrecision> precisions, bool lowPrecisionBase, Func<MatmulReference> measureMatmul, RuntimeReport runtime, string output)
    {
        var pending = new List<(string Method, string Spec, string Modifications, List<TrainBenchmark.Row> Ours, List<PythonRow> Theirs)>();
        var script = Path.Combine(AppContext.BaseDirectory, "reference", "train_reference.py");
        foreach (var method in methods)
        {
            var config = TrainBenchmark.Resolve(method);
            var ours = new List<TrainBenchmark.Row>();
            var theirs = new List<PythonRow>();
            for (var round = 0; round < rounds; round++)
            {
                ours.Add(TrainBenchmark.RunChild(method, steps, warmup, threads, precisions[0], lowPrecisionBase && precisions[0] != TrainingPrecision.Fp32));
                theirs.Add(RunPython(python, script, method, config, steps, warmup, threads));
                foreach (var p in precisions.Skip(1)) ours.Add(TrainBenchmark.RunChild(method, steps, warmup, threads, p, lowPrecisionBase));
                Console.Error.WriteLine($"{method}: round {round + 1}/{rounds} done");
            }
            pending.Add((method, config.Spec, Modifications(config), ours, theirs));
        }
        var matmul = measureMatmul();
        var lines = pending.Select(p => Summarize(p.Method, p.Spec, p.Modifications, p.Ours, p.Theirs, matmul)).ToList();
        Print(lines, matmul);
        var cpu = File.Exists("/proc/cpuinfo") ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() : null;
        File.WriteAllText(output, JsonSerializer.Serialize(new
        {
            batch = 32, tokens = 64, threads, steps, warmup, rounds, cpu, matmul, runtime, lines,
            versions = RuntimeVersions.Get(), pytorch = lines.FirstOrDefault()?.PyTorchRuns.FirstOrDefault() is { } p0 ? new { p0.Torch, p0.Blas, p0.Threads } : null,
            ratio = "PyTorch ms / PeftGrid ms (above 1 = PeftGrid faster); % best: fp32 rows of max(libtorch fp32, OpenBLAS), bf16 rows of max(that, libtorch bf16)",
        }, TrainBenchmark.Json));
        Console.WriteLine($"wrote {output}");
        return lines.Any(l => l.PeftGridTrainable != l.PyTorchTrainable) ? 1 : 0;
    }

    private static Line Summarize(string method, string spec, string modifications, List<TrainBenchmark.Row> ours, List<PythonRow> theirs, MatmulReference matmul)
    {
        static double? Median(IEnumerable<double> xs) { var s = xs.Order().ToList(); return s.Count == 0 ? null : s.Count % 2 == 1 ? s[s.Count / 2] : (s[s.Count / 2 - 1] + s[s.Count / 2]) / 2; }
        var fp32 = Median(ours.Where(r => r.Precision == "fp32").Select(r => r.StepMilliseconds));
        var bf16 = Median(ours.Where(r => r.Precision == "bf16").Select(r => r.StepMilliseconds));
        var py = Median(theirs.Select(r => r.StepMilliseconds))!.Value;
        var flops = ours[0].ModelFlopsPerStep;
        double? Gflops(double? ms) => ms is { } m ? flops / (m / 1000) / 1e9 : null;
        return new Line(method, spec, modifications, fp32, bf16, py, py / fp32, py / bf16, Gflops(fp32), 100 * Gflops(fp32) / matmul.BestFp32, Gflops(bf16),
            100 * Gflops(bf16) / matmul.BestAny, ours[0].TrainableWithHead, theirs[0].TrainableWithHead, ours, theirs);
    }

    private static void Print(IReadOnlyList<Line> lines, MatmulReference matmul)
    {
        static string F(double? x, string format) => x?.ToString(format, CultureInfo.InvariantCulture) ?? "-";
        Console.WriteLine($"{"method",-10} {"PG fp32 ms",10} {"PG bf16 ms",10} {"PT fp32 ms",10} {"ratio fp32",10} {"ratio bf16",10} {"GF/s fp32",9} {"% best",7} {"GF/s bf16",9} {"% best",7}  params");
        foreach (var l in lines)
        {
            var check = l.PeftGridTrainable == l.PyTorchTrainable ? $"= {l.PeftGridTrainable:N0}" : $"MISMATCH {l.PeftGridTrainable:N0} vs {l.PyTorchTrainable:N0}";
            Console.WriteLine($"{l.Method,-10} {F(l.PeftGridFp32Ms, "0"),10} {F(l.PeftGridBf16Ms, "0"),10} {F(l.PyTorchFp32Ms, "0"),10} {F(l.RatioFp32, "0.00"),10} {F(l.RatioBf16, "0.00"),10} {F(l.GflopsFp32, "0.0"),9} {F(l.PercentBestFp32, "0.0"),6}% {F(l.GflopsBf16, "0.0"),9} {F(l.PercentBestBf16, "0.0"),6}%  {check}");
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ratio = PyTorch fp32 ms / PeftGrid ms (>1: PeftGrid faster). % best: fp32 of {matmul.BestFp32:0.0} GFLOP/s (best fp32 matmul), bf16 of {matmul.BestAny:0.0} GFLOP/s (best of fp32 and bf16 matmul)."));
    }

    private static readonly JsonSerializerOptions ModificationJson = new() { Converters = { new JsonStringEnumConverter() } };

    private static string Modifications(PeftConfig config) => JsonSerializer.Serialize(config.Modifications, ModificationJson);

    private static PythonRow RunPython(string python, string script, string method, PeftConfig config, int steps, int warmup, int threads)
    {
        var start = new ProcessStartInfo(python) { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { script, "--method", method, "--backbone", config.Backbone.ToString(), "--mods", Modifications(config),
            "--steps", $"{steps}", "--warmup", $"{warmup}", "--threads", $"{threads}" }) start.ArgumentList.Add(a);
        start.Environment["OMP_NUM_THREADS"] = $"{threads}";
        start.Environment["OPENBLAS_NUM_THREADS"] = $"{threads}";
        using var child = Process.Start(start) ?? throw new InvalidOperationException($"--reference: could not start '{python}'");
        var text = child.StandardOutput.ReadToEnd();
        child.WaitForExit();
        if (child.ExitCode != 0) throw new InvalidOperationException($"--reference: {python} {Path.GetFileName(script)} for {method} exited with {child.ExitCode}");
        return JsonSerializer.Deserialize<PythonRow>(text.Trim().Split('\n')[^1], new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.CamelCase })!;
    }
}
