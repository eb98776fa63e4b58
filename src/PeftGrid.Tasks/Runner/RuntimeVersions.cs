using System.Reflection;
using PeftGrid.Models.Runtime;
using TorchSharp;

namespace PeftGrid.Tasks.Runner;

/// <summary>Library versions recorded in every result (torchsharp, libtorch, tokenizers, peftgrid, dotnet, os, threads, and the cpu
/// model and the CPU BLAS with its code path, as <see cref="TorchRuntime.Initialize"/> found them).</summary>
public static class RuntimeVersions
{
    /// <summary>Name → version.</summary>
    public static IReadOnlyDictionary<string, string> Get() => new Dictionary<string, string>
    {
        ["peftgrid"] = Version(typeof(RuntimeVersions).Assembly),
        ["torchsharp"] = Version(typeof(torch).Assembly),
        ["libtorch"] = SafeLibTorch(),
        ["microsoft.ml.tokenizers"] = Version(typeof(Microsoft.ML.Tokenizers.BertTokenizer).Assembly),
        ["dotnet"] = Environment.Version.ToString(),
        ["os"] = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
        ["threads"] = SafeThreads(),
        ["cpu"] = $"{CpuFeatures.Current.ModelName} ({CpuFeatures.Current.Vendor})",
        ["blas"] = TorchRuntime.Last?.Blas.ToString() ?? "unknown (TorchRuntime.Initialize not called)",
    };

    private static string Version(Assembly assembly) =>
        assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? assembly.GetName().Version?.ToString() ?? "unknown";

    private static string SafeLibTorch()
    {
        try { return torch.__version__; }
        catch (Exception e) when (e is DllNotFoundException or NotSupportedException or InvalidOperationException) { return "unknown"; }
    }

    private static string SafeThreads()
    {
        try { return torch.get_num_threads().ToString(System.Globalization.CultureInfo.InvariantCulture); }
        catch (Exception e) when (e is DllNotFoundException or NotSupportedException or InvalidOperationException) { return "unknown"; }
    }
}
