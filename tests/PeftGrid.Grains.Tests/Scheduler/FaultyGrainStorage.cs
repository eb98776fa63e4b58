using System.Collections.Concurrent;
using Orleans.Serialization;
using Orleans.Storage;

namespace PeftGrid.Grains.Tests.Scheduler;

/// <summary>
/// An in-memory <see cref="IGrainStorage"/> with etags (a write with a stale etag throws <see cref="InconsistentStateException"/>,
/// like every Orleans provider) and injectable faults: failing writes, another writer changing a record under a grain,
/// a record deleted behind a grain's back. Records are stored serialized, so readers never share objects with writers.
/// </summary>
public sealed class FaultyGrainStorage(Serializer serializer) : IGrainStorage
{
    private readonly ConcurrentDictionary<(string State, GrainId Grain), (byte[] Data, string ETag)> records = new();
    private readonly ConcurrentDictionary<(string State, GrainId Grain), Func<object?, object?>> conflicts = new();
    private long version;

    /// <summary>Writes for which this returns true throw an <see cref="IOException"/> (storage hiccup).</summary>
    public Func<string, GrainId, bool>? FailWrite { get; set; }

    /// <summary>Writes refused so far (by <see cref="FailWrite"/> or a stale etag).</summary>
    public int Refused => refused;

    private int refused;

    /// <summary>Before the next write of <paramref name="stateName"/> of <paramref name="grain"/>, another writer replaces the
    /// stored record by <paramref name="change"/>(stored state) with a new etag: that write fails with a conflict.</summary>
    public void ConflictOnNextWrite(string stateName, GrainId grain, Func<object?, object?> change) => conflicts[(stateName, grain)] = change;

    /// <summary>Deletes a record behind its grain's back (a result lost from storage).</summary>
    public bool Delete(string stateName, GrainId grain) => records.TryRemove((stateName, grain), out _);

    /// <summary>True if the record exists.</summary>
    public bool Exists(string stateName, GrainId grain) => records.ContainsKey((stateName, grain));

    /// <inheritdoc/>
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (records.TryGetValue((stateName, grainId), out var r))
        {
            grainState.State = serializer.Deserialize<T>(r.Data);
            grainState.ETag = r.ETag;
            grainState.RecordExists = true;
        }
        else
        {
            grainState.State = Activator.CreateInstance<T>();
            grainState.ETag = null;
            grainState.RecordExists = false;
        }
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        await Task.Yield();
        var key = (stateName, grainId);
        if (FailWrite?.Invoke(stateName, grainId) == true)
        {
            Interlocked.Increment(ref refused);
            throw new IOException($"injected storage failure writing {stateName} of {grainId}");
        }
        if (conflicts.TryRemove(key, out var change))
        {
            object? stored = records.TryGetValue(key, out var old) ? serializer.Deserialize<T>(old.Data) : default(T);
            records[key] = (serializer.SerializeToArray((T)change(stored)!), NextETag());
        }
        lock (records)
        {
            var current = records.TryGetValue(key, out var r) ? r.ETag : null;
            if (current != grainState.ETag)
            {
                Interlocked.Increment(ref refused);
                throw new InconsistentStateException($"etag mismatch writing {stateName} of {grainId}", current, grainState.ETag);
            }
            var etag = NextETag();
            records[key] = (serializer.SerializeToArray(grainState.State), etag);
            grainState.ETag = etag;
            grainState.RecordExists = true;
        }
    }

    /// <inheritdoc/>
    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        records.TryRemove((stateName, grainId), out _);
        grainState.ETag = null;
        grainState.RecordExists = false;
        return Task.CompletedTask;
    }

    private string NextETag() => Interlocked.Increment(ref version).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
