using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using PeftGrid.Peft.Seams;
using PeftGrid.Tasks.Runner;
using TorchSharp;
using static TorchSharp.torch;

namespace PeftGrid.Benchmarks;

/// <summary>
/// <c>attention</c> mode (issue 12): one attention's per-head math — explicit (<see cref="ScaledDotProductAttention.Explicit"/>:
/// logits, softmax, dropout, weighted sum) against fused (<see cref="ScaledDotProductAttention.Compute"/>, libtorch
/// <c>scaled_dot_product_attention</c>) — forward + backward (q, k, v require grad; loss Σ out ⊙ g) and forward alone under no_grad,
/// with a padding mask [B, 1, 1, T] (last quarter of odd rows padded). Shapes: MiniLM GLUE B = 32, H = 12, T = 64, d_h = 32, and
/// XSum-length T = 512 (B = 16, the seq2seq benchmark's batch). Settings: fp32 without dropout (CPU flash kernel), fp32 with attention
/// dropout 0.1 in training (SDPA falls back to its math path), bf16 without dropout. The median of N timed iterations after the
/// warmup, explicit and fused alternating (drift falls on both). Usage: <c>attention [--iters N] [--warmup N] [--threads N] [--tokens 64,512] [--out FILE]</c>.
/// </summary>
public static class AttentionBenchmark
{
    /// <summary>One shape × setting.</summary>
    /// <param name="Batch">B.</param>
    /// <param name="Heads">H.</param>
    /// <param name="Tokens">T = S.</param>
    /// <param name="HeadDim">d_h.</param>
    /// <param name="DType">float32 or bfloat16.</param>
    /// <param name="Dropout">Attention dropout probability (training mode).</param>
    /// <param name="ExplicitTrainMs">Explicit forward + backward, median ms.</param>
    /// <param name="FusedTrainMs">Fused forward + backward, median ms.</param>
    /// <param name="ExplicitForwardMs">Explicit forward under no_grad (eval, no dropout), median ms.</param>
    /// <param name="FusedForwardMs">Fused forward under no_grad, median ms.</param>
    public sealed record Row(int Batch, int Heads, int Tokens, int HeadDim, string DType, double Dropout,
        double ExplicitTrainMs, double FusedTrainMs, double ExplicitForwardMs, double FusedForwardMs)
    {
        /// <summary>Explicit / fused, forward + backward.</summary>
        public double TrainSpeedup => ExplicitTrainMs / FusedTrainMs;
        /// <summary>Explicit / fused, forward alone.</summary>
        public double ForwardSpeedup => ExplicitForwardMs / FusedForwardMs;
    }

    /// <summary>Entry point for <c>attention</c>; returns the exit code.</summary>
    public static int Run(string[] args)
    {
        string? Arg(string name) { var i = Array.IndexOf(args, name); return i >= 0 && i + 1 < args.Length ? args[i + 1] : null; }
        int Int(string name, int fallback) => int.Parse(Arg(name) ?? fallback.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        var (iters, warmup, threads) = (Int("--iters", 10), Int("--warmup", 2), Int("--threads", 2));
        PeftGrid.Models.Runtime.TorchRuntime.Initialize(threads);
        var rows = new List<Row>();
        Console.WriteLine($"{"B",3} {"H",3} {"T",4} {"d_h",4} {"dtype",9} {"drop",5} | {"explicit f+b",12} {"fused f+b",10} {"×",6} | {"explicit fwd",12} {"fused fwd",10} {"×",6}");
        var tokens = (Arg("--tokens") ?? "64,512").Split(',').Select(x => int.Parse(x, CultureInfo.InvariantCulture)).ToHashSet();
        foreach (var (b, t) in new[] { (32, 64), (16, 512) }.Where(x => tokens.Contains(x.Item2)))
        {
            foreach (var (dtype, dropout) in new[] { (ScalarType.Float32, 0.0), (ScalarType.Float32, 0.1), (ScalarType.BFloat16, 0.0), (ScalarType.BFloat16, 0.1) })
            {
                var row = Measure(b, 12, t, 32, dtype, dropout, iters, warmup);
                rows.Add(row);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{b,3} {12,3} {t,4} {32,4} {row.DType,9} {dropout,5:0.0} | {row.ExplicitTrainMs,12:0.00} {row.FusedTrainMs,10:0.00} {row.TrainSpeedup,6:0.00} | {row.ExplicitForwardMs,12:0.00} {row.FusedForwardMs,10:0.00} {row.ForwardSpeedup,6:0.00}"));
            }
        }
        var output = Arg("--out") ?? "attention-benchmark.json";
        File.WriteAllText(output, JsonSerializer.Serialize(new
        {
            iters, warmup, threads, rows, versions = RuntimeVersions.Get(),
            load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : null,
        }, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase }));
        Console.WriteLine($"wrote {output}");
        return 0;
    }

    private static Row Measure(int b, int h, int t, int dh, ScalarType dtype, double dropout, int iters, int warmup)
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(1);
        var (q, k, v, g) = (torch.randn(b, h, t, dh).to(dtype), torch.randn(b, h, t, dh).to(dtype), torch.randn(b, h, t, dh).to(dtype),
            torch.randn(b, h, t, dh).to(dtype));
        var mask = torch.zeros(b, 1, 1, t);
        mask[TensorIndex.Slice(1, null, 2), .., .., (3 * t / 4)..] = -1e9f;
        mask = mask.to(dtype);   // the explicit path adds it to the logits: an fp32 mask would promote bf16 logits to fp32
        var train = new AttentionDropout(dropout, Training: true);
        double TrainStep(Func<Tensor, Tensor, Tensor, Tensor, AttentionDropout, Tensor> attention) => Time(() =>
        {
            using var inner = NewDisposeScope();
            var (qq, kk, vv) = (q.detach().requires_grad_(), k.detach().requires_grad_(), v.detach().requires_grad_());
            (attention(qq, kk, vv, mask, train) * g).sum().backward();
        });
        double ForwardStep(Func<Tensor, Tensor, Tensor, Tensor, AttentionDropout, Tensor> attention) => Time(() =>
        {
            using var inner = NewDisposeScope();
            using var noGrad = torch.no_grad();
            attention(q, k, v, mask, AttentionDropout.None);
        });
        var (et, ft, ef, ff) = (new List<double>(), new List<double>(), new List<double>(), new List<double>());
        for (var i = 0; i < warmup + iters; i++)
        {
            var sample = (i % 2 == 0)
                ? (TrainStep(ScaledDotProductAttention.Explicit), TrainStep(ScaledDotProductAttention.Compute),
                    ForwardStep(ScaledDotProductAttention.Explicit), ForwardStep(ScaledDotProductAttention.Compute))
                : Reverse(TrainStep(ScaledDotProductAttention.Compute), TrainStep(ScaledDotProductAttention.Explicit),
                    ForwardStep(ScaledDotProductAttention.Compute), ForwardStep(ScaledDotProductAttention.Explicit));
            if (i < warmup) { continue; }
            et.Add(sample.Item1); ft.Add(sample.Item2); ef.Add(sample.Item3); ff.Add(sample.Item4);
        }
        return new Row(b, h, t, dh, dtype == ScalarType.Float32 ? "float32" : "bfloat16", dropout, Median(et), Median(ft), Median(ef), Median(ff));
    }

    private static (double, double, double, double) Reverse(double fusedTrain, double explicitTrain, double fusedForward, double explicitForward) =>
        (explicitTrain, fusedTrain, explicitForward, fusedForward);

    private static double Time(Action action)
    {
        var watch = Stopwatch.StartNew();
        action();
        return watch.Elapsed.TotalMilliseconds;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
