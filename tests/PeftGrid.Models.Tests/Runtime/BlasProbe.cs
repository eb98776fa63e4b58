using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using PeftGrid.Models.Runtime;
using TorchSharp;

namespace PeftGrid.Models.Tests.Runtime;

/// <summary>
/// The test assembly's entry point, for tests that need a fresh process (MKL caches its dispatch at the first GEMM, which the test
/// host may already have run): <c>dotnet exec PeftGrid.Models.Tests.dll blas-probe</c> calls <see cref="TorchRuntime.Initialize"/>,
/// multiplies a [256,384]×[384,512] fp32 pair and prints one JSON line (code path, fix applied, max relative error vs float64,
/// and a GFLOP/s figure of a 1024² sgemm for information only).
/// </summary>
public static class BlasProbe
{
    public static int Main(string[] args)
    {
        if (args is not ["blas-probe"]) return 2;
        var report = TorchRuntime.Initialize();
        torch.manual_seed(12);
        using var a = torch.randn(256, 384);
        using var b = torch.randn(384, 512);
        using var c = a.matmul(b);
        using var reference = a.to(torch.float64).matmul(b.to(torch.float64));
        var error = (c.to(torch.float64) - reference).abs().max().item<double>() / reference.abs().max().item<double>();
        Console.WriteLine(JsonSerializer.Serialize(new ProbeResult(report.Blas.Library, report.Blas.CodePath, report.Blas.DispatchFixApplied,
            report.Blas.Note, error, Gflops(), report.Warnings)));
        return 0;
    }

    /// <summary>Runs the probe in a child process with <paramref name="environment"/> added.</summary>
    public static ProbeResult Run(params (string Name, string Value)[] environment)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
        };
        foreach (var arg in new[] { "exec", typeof(BlasProbe).Assembly.Location, "blas-probe" }) start.ArgumentList.Add(arg);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        using var child = Process.Start(start)!;
        var stdout = child.StandardOutput.ReadToEnd();
        var stderr = child.StandardError.ReadToEnd();
        child.WaitForExit();
        if (child.ExitCode != 0) throw new InvalidOperationException($"blas-probe exited {child.ExitCode}: {stderr}");
        return JsonSerializer.Deserialize<ProbeResult>(stdout.Trim().Split('\n')[^1])!;
    }

    private static double Gflops()
    {
        using var x = torch.randn(1024, 1024);
        using var y = torch.randn(1024, 1024);
        for (var i = 0; i < 3; i++) x.matmul(y).Dispose();
        var clock = Stopwatch.StartNew();
        const int reps = 20;
        for (var i = 0; i < reps; i++) x.matmul(y).Dispose();
        return 2.0 * 1024 * 1024 * 1024 * reps / clock.Elapsed.TotalSeconds / 1e9;
    }

    /// <summary>What the child printed.</summary>
    public sealed record ProbeResult(string Library, string CodePath, bool DispatchFixApplied, string Note, double RelativeError,
        double Gflops, IReadOnlyList<string> Warnings)
    {
        public override string ToString() => string.Create(CultureInfo.InvariantCulture,
            $"{Library} {CodePath} fix={DispatchFixApplied} ({Note}) err={RelativeError:E2} {Gflops:F0} GFLOP/s; warnings: {string.Join(" | ", Warnings)}");
    }
}
