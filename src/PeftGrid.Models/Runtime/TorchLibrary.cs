using System.Runtime.InteropServices;

namespace PeftGrid.Models.Runtime;

/// <summary>Finds a native library TorchSharp already loaded into this process (e.g. <c>libtorch_cpu.so</c>): by name through the
/// loader (glibc returns the loaded object for a matching soname), else by its path in <c>/proc/self/maps</c>.</summary>
public static class TorchLibrary
{
    /// <summary>A handle to the loaded library <paramref name="fileName"/> (never unloaded).</summary>
    /// <exception cref="InvalidOperationException">The library is not loaded in this process.</exception>
    public static IntPtr Handle(string fileName)
    {
        if (NativeLibrary.TryLoad(fileName, out var handle)) return handle;
        if (Path(fileName) is { } path && NativeLibrary.TryLoad(path, out handle)) return handle;
        throw new InvalidOperationException($"{fileName} is not loaded in this process (TorchSharp's libtorch not found)");
    }

    /// <summary>The full path of the mapped library <paramref name="fileName"/> from <c>/proc/self/maps</c>; null when absent or not Linux.</summary>
    public static string? Path(string fileName)
    {
        if (!File.Exists("/proc/self/maps")) return null;
        return File.ReadLines("/proc/self/maps")
            .Select(l => l.IndexOf('/') is var i and >= 0 ? l[i..] : null)
            .FirstOrDefault(p => p is not null && System.IO.Path.GetFileName(p) == fileName);
    }
}
