using System.Runtime;

namespace PeftGrid.Tasks.Training;

/// <summary>
/// Keeps the .NET GC from running while one training step (or evaluation batch) is inside libtorch. Works around a TorchSharp 0.107
/// race: <c>Tensor + Tensor</c> calls <c>add(other, 1)</c>, whose implicit <c>Scalar</c> temporary is unreachable once its handle is
/// passed to native code, so a GC triggered by another thread (e.g. the 10 ms <c>PeakMemoryMeter</c>) can finalize it while libtorch
/// still reads it, failing with "Expected false to be true … Scalar.h toFloat". The window is widest for mixed-dtype adds (autocast's
/// bf16 outputs + the float32 residual stream, which libtorch first casts), where it fails within the first minute of an SST-2 run;
/// a tight loop of fp32 adds under forced GCs hits it too (issue 12). <see cref="Enter"/> opens a no-GC region
/// (<see cref="GC.TryStartNoGCRegion(long)"/>) of <see cref="Budget"/> bytes; if the step allocates more, the runtime collects and
/// ends the region (unprotected, never an error).
/// </summary>
public static class NoGcStep
{
    /// <summary>Bytes the managed heap may grow within one region (a MiniLM step allocates well under 1 MB of managed objects).</summary>
    public const long Budget = 32L << 20;

    /// <summary>Opens a no-GC region until the returned scope is disposed; null (nothing to dispose) when one is already open or
    /// the runtime refuses.</summary>
    public static IDisposable? Enter()
    {
        if (GCSettings.LatencyMode == GCLatencyMode.NoGCRegion) return null;
        try
        {
            return GC.TryStartNoGCRegion(Budget) ? new Region() : null;
        }
        catch (InvalidOperationException)
        {
            return null; // another thread opened one meanwhile
        }
    }

    private sealed class Region : IDisposable
    {
        public void Dispose()
        {
            if (GCSettings.LatencyMode != GCLatencyMode.NoGCRegion) return; // the step outgrew the budget: the runtime ended it
            try
            {
                GC.EndNoGCRegion();
            }
            catch (InvalidOperationException)
            {
                // a GC was induced or the budget exceeded in between: the region is already over
            }
        }
    }
}
