using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using PeftGrid.Contracts.Trials;
using PeftGrid.Tasks.Data;
using PeftGrid.Tasks.Pipeline;
using PeftGrid.Tasks.Runner;

namespace PeftGrid.Benchmarks;

/// <summary>
/// <c>curve</c> mode (issue 11): the extra cost of streaming the training curve on a training step. Real MiniLM SST-2 trials
/// (<c>lora-attn</c> at the 0.5 % tier, batch 16, one epoch of <c>steps × 16</c> examples, 16 dev examples) through the executor,
/// alternately with the progress/curve sink attached (wired as <see cref="TorchTrialRunner"/> wires it: a
/// <see cref="TrialProgressReporter"/> posting to a <see cref="Progress{T}"/> whose handler counts the points) and detached (no
/// curve callback: the trainer still builds the curve it returns). With fewer than 200 steps the logging interval is 1: a loss
/// point every step, the densest stream there is. A run's ms/step is the wall time between the step callbacks after the warmup
/// steps (so everything between two steps counts: the step, the curve, the report), and the process CPU time per step over the
/// same steps (libtorch threads and the handler's thread-pool work included; less sensitive than wall time to other processes on a
/// shared machine). Reports mean ± std over the runs of each mode and their difference with its noise (standard error of the
/// difference), for both.
/// Usage: <c>curve [--runs N] [--steps N] [--warmup N] [--threads N] [--data DIR] [--out FILE]</c>.
/// </summary>
public static class CurveBenchmark
{
    private const int Batch = 16;

    /// <summary>One run's measurement.</summary>
    /// <param name="Mode"><c>attached</c> or <c>detached</c>.</param>
    /// <param name="Run">0-based run of that mode.</param>
    /// <param name="StepMilliseconds">Mean wall time per step after the warmup.</param>
    /// <param name="CpuMilliseconds">Process CPU time per step over the same steps.</param>
    /// <param name="Steps">Steps run.</param>
    /// <param name="CurvePoints">Points in the result's curve.</param>
    /// <param name="ReportedPoints">Points the progress handler received (attached; 0 detached).</param>
    public sealed record Row(string Mode, int Run, double StepMilliseconds, double CpuMilliseconds, long Steps, int CurvePoints, int ReportedPoints);

    /// <summary>Entry point for <c>curve</c>; returns the exit code.</summary>
    public static int Run(string[] args)
    {
        string? Arg(string name) { var i = Array.IndexOf(args, name); return i >= 0 && i + 1 < args.Length ? args[i + 1] : null; }
        int Int(string name, int fallback) => int.Parse(Arg(name) ?? fallback.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        var (runs, steps, warmup, threads) = (Int("--runs", 5), Int("--steps", 40), Int("--warmup", 3), Int("--threads", 2));
        var dataRoot = DataRoot.Resolve(Arg("--data"));
        var spec = new TrialSpec
        {
            Task = "sst2", Model = "minilm", Method = "lora-attn", BudgetPercent = 0.5, Seed = 1,
            Profile = new TrainingProfile { MaxTrainExamples = steps * Batch, MaxEvalExamples = 16, BatchSize = Batch },
        };
        // Untimed and short: loads the files and libtorch once.
        Measure(spec with { Profile = spec.Profile with { MaxTrainExamples = (warmup + 2) * Batch } }, dataRoot, threads, warmup, attached: false);
        var rows = new List<Row>();
        for (var r = 0; r < runs; r++)
        {
            // ABBA order: drift of the machine falls on both modes alike.
            foreach (var attached in r % 2 == 0 ? new[] { true, false } : [false, true])
            {
                var row = Measure(spec, dataRoot, threads, warmup, attached) with { Run = r };
                rows.Add(row);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{row.Mode,-9} run {r}: {row.StepMilliseconds,8:0.00} ms/step, {row.CpuMilliseconds,8:0.00} CPU ms/step, {row.CurvePoints} points, {row.ReportedPoints} reported"));
            }
        }
        var wall = Compare(rows, r => r.StepMilliseconds);
        var cpu = Compare(rows, r => r.CpuMilliseconds);
        Console.WriteLine($"{"measure",-12} {"attached ms/step",18} {"detached ms/step",18} {"difference",12} {"%",8} {"noise",8} {"paired diff",12} {"noise",8}");
        foreach (var (name, c) in new[] { ("wall", wall), ("process CPU", cpu) })
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name,-12} {c.Attached.Mean,10:0.00} ± {c.Attached.Std,5:0.00} {c.Detached.Mean,10:0.00} ± {c.Detached.Std,5:0.00} {c.Difference,12:+0.00;-0.00} {c.DifferencePercent,7:+0.00;-0.00}% {c.Noise,8:0.00} {c.Paired.Mean,12:+0.00;-0.00} {c.Paired.Std / Math.Sqrt(c.Paired.N),8:0.00}"));
        }
        var output = Arg("--out") ?? "curve-benchmark.json";
        File.WriteAllText(output, JsonSerializer.Serialize(new
        {
            spec.Task, spec.Model, spec.Method, batch = Batch, steps, warmup, threads, runs, rows,
            wall, cpu, versions = RuntimeVersions.Get(), load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : null,
        }, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase }));
        Console.WriteLine($"wrote {output}");
        return 0;
    }

    /// <summary>Mean and sample standard deviation of the runs' ms/step.</summary>
    /// <param name="N">Runs.</param>
    /// <param name="Mean">Mean ms/step.</param>
    /// <param name="Std">Sample standard deviation (0 for one run).</param>
    public sealed record Summary(int N, double Mean, double Std);

    /// <summary>One measure in both modes and their difference.</summary>
    /// <param name="Attached">Runs with the sink attached.</param>
    /// <param name="Detached">Runs without it.</param>
    /// <param name="Difference">Attached minus detached mean, ms/step.</param>
    /// <param name="DifferencePercent">The difference in % of the detached mean.</param>
    /// <param name="Noise">Standard error of the difference, ms/step.</param>
    /// <param name="Paired">Attached minus detached within each run's adjacent pair: mean and std over the pairs (drift of a shared
    /// machine cancels within a pair); its noise is <c>Std / √N</c>.</param>
    public sealed record Comparison(Summary Attached, Summary Detached, double Difference, double DifferencePercent, double Noise, Summary Paired);

    private static Comparison Compare(List<Row> rows, Func<Row, double> measure)
    {
        var a = Stats(rows.Where(x => x.Mode == "attached").Select(measure).ToList());
        var d = Stats(rows.Where(x => x.Mode == "detached").Select(measure).ToList());
        var diff = a.Mean - d.Mean;
        var paired = Stats(rows.GroupBy(r => r.Run).Select(g => measure(g.Single(x => x.Mode == "attached")) - measure(g.Single(x => x.Mode == "detached"))).ToList());
        return new Comparison(a, d, diff, 100 * diff / d.Mean, Math.Sqrt(a.Std * a.Std / a.N + d.Std * d.Std / d.N), paired);
    }

    private static Summary Stats(List<double> values)
    {
        var mean = values.Average();
        var std = values.Count > 1 ? Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1)) : 0;
        return new Summary(values.Count, mean, std);
    }

    private static TimeSpan ProcessCpu()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }

    private static Row Measure(TrialSpec spec, string dataRoot, int threads, int warmup, bool attached)
    {
        var stamps = new List<long>();
        var (cpuStart, cpuEnd) = (TimeSpan.Zero, TimeSpan.Zero);
        var reported = 0;
        var reporter = attached
            ? new TrialProgressReporter(new Progress<TrialProgress>(p => Interlocked.Add(ref reported, p.Points.Count)))
            : null;
        using var execution = TrialExecutors.Default.Execute(spec, dataRoot, new TrialRunOptions
        {
            Threads = threads,
            OnStep = info =>
            {
                stamps.Add(Stopwatch.GetTimestamp());
                if (stamps.Count == warmup + 1) cpuStart = ProcessCpu();
                if (info.Step == info.TotalSteps) cpuEnd = ProcessCpu();
                reporter?.OnStep(info);
            },
            OnCurvePoints = reporter is null ? null : reporter.OnCurvePoints,
        });
        reporter?.Flush();
        var result = execution.Result;
        if (result.Status != TrialStatus.Succeeded) throw new InvalidOperationException($"benchmark trial {result.Status}: {result.Error}");
        Thread.Sleep(200); // let the last posted reports land
        var timed = stamps.Count - 1 - warmup;
        if (timed < 1) throw new ArgumentException($"--steps must exceed --warmup + 1 (got {stamps.Count} steps, warmup {warmup})");
        var ms = Stopwatch.GetElapsedTime(stamps[warmup], stamps[^1]).TotalMilliseconds / timed;
        var cpuMs = (cpuEnd - cpuStart).TotalMilliseconds / timed;
        return new Row(attached ? "attached" : "detached", 0, ms, cpuMs, stamps.Count, result.Curve.Count, Volatile.Read(ref reported));
    }
}
