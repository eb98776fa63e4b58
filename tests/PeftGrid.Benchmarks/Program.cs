namespace PeftGrid.Benchmarks;

/// <summary>On-demand benchmarks: <c>dotnet run --project tests/PeftGrid.Benchmarks -c Release -- grid [--redis CONN] [--cells N] [--workers W] [--out FILE]</c>,
/// <c>-- train ...</c> (<see cref="TrainBenchmark"/>), <c>-- seq2seq ...</c> (<see cref="Seq2SeqBenchmark"/>), <c>-- curve ...</c>
/// (<see cref="CurveBenchmark"/>), <c>-- attention ...</c> (<see cref="AttentionBenchmark"/>) and <c>-- dashboard ...</c> (<see cref="DashboardBenchmark"/>).</summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var mode = args.Length > 0 ? args[0] : "";
        switch (mode)
        {
            case "grid":
                return await GridBenchmark.RunAsync(args[1..]);
            case "train": return TrainBenchmark.Run(args[1..]);
            case "seq2seq": return Seq2SeqBenchmark.Run(args[1..]);
            case "curve": return CurveBenchmark.Run(args[1..]);
            case "attention": return AttentionBenchmark.Run(args[1..]);
            case "dashboard": return await DashboardBenchmark.RunAsync(args[1..]);
            default:
                Console.Error.WriteLine("usage: PeftGrid.Benchmarks train [--precision fp32|bf16] [--low-precision-base] [--steps N] [--warmup N] [--threads N] [--methods a,b] [--reference PYTHON [--rounds N]] [--out FILE] | attention [--tokens 64,512] [--iters N] [--warmup N] [--threads N] [--out FILE] | seq2seq [--steps N] [--threads N] [--methods a;b] [--out FILE] | curve [--runs N] [--steps N] [--warmup N] [--threads N] [--out FILE] | grid [--redis CONN] [--cells N] [--workers W] [--batch B] [--out FILE] | dashboard [--cells N] [--requests N] [--out FILE]");
                return 2;
        }
    }
}
