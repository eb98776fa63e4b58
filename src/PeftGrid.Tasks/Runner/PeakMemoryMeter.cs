using System.Diagnostics;

namespace PeftGrid.Tasks.Runner;

/// <summary>
/// Measures the peak resident set size (RSS) of this process over an interval. RSS covers everything the
/// trial holds in RAM: the managed GC heap, libtorch's native allocations (weights, activations kept for
/// backward, gradients, optimizer state) and loaded code; it therefore includes the runtime's baseline
/// (see <see cref="BaselineBytes"/>). On Linux the kernel's high-water mark (<c>VmHWM</c>) is reset at
/// <see cref="Start"/> through <c>/proc/self/clear_refs</c>, so the peak is exact; elsewhere (or if the
/// reset is refused) a 10 ms sampler of the working set supplies the peak.
/// </summary>
public sealed class PeakMemoryMeter : IDisposable
{
    private readonly Timer _timer;
    private readonly bool _kernelPeak;
    private long _sampledPeak;

    private PeakMemoryMeter()
    {
        _kernelPeak = TryResetHighWaterMark();
        BaselineBytes = CurrentBytes();
        _sampledPeak = BaselineBytes;
        _timer = new Timer(_ => Sample(), null, 0, 10);
    }

    /// <summary>RSS when the meter started, bytes.</summary>
    public long BaselineBytes { get; }

    /// <summary>Starts measuring.</summary>
    public static PeakMemoryMeter Start() => new();

    /// <summary>Peak RSS since <see cref="Start"/>, bytes.</summary>
    public long PeakBytes
    {
        get
        {
            Sample();
            var peak = Interlocked.Read(ref _sampledPeak);
            if (_kernelPeak && ReadStatus("VmHWM:") is { } hwm) peak = Math.Max(peak, hwm);
            return peak;
        }
    }

    /// <summary>Current RSS of this process, bytes.</summary>
    public static long CurrentBytes() => ReadStatus("VmRSS:") ?? Process.GetCurrentProcess().WorkingSet64;

    private void Sample()
    {
        var now = CurrentBytes();
        long seen;
        while (now > (seen = Interlocked.Read(ref _sampledPeak)) && Interlocked.CompareExchange(ref _sampledPeak, now, seen) != seen) { }
    }

    private static bool TryResetHighWaterMark()
    {
        try
        {
            if (!OperatingSystem.IsLinux()) return false;
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static long? ReadStatus(string key)
    {
        if (!OperatingSystem.IsLinux()) return null;
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (!line.StartsWith(key, StringComparison.Ordinal)) continue;
                var parts = line[key.Length..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return long.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture) * 1024; // kB
            }
        }
        catch (IOException)
        {
        }
        return null;
    }

    /// <summary>Stops the sampler.</summary>
    public void Dispose() => _timer.Dispose();
}
