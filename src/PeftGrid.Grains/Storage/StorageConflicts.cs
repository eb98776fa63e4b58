using Orleans.Storage;

namespace PeftGrid.Grains.Storage;

/// <summary>Recognises a grain-storage write conflict (an etag mismatch: another writer, or a Redis that lost its data).</summary>
internal static class StorageConflicts
{
    /// <summary>True if <paramref name="e"/> is, wraps, or aggregates an <see cref="InconsistentStateException"/>.</summary>
    public static bool IsConflict(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            if (x is InconsistentStateException)
            {
                return true;
            }
            if (x is AggregateException agg && agg.InnerExceptions.Any(IsConflict))
            {
                return true;
            }
        }
        return false;
    }
}
