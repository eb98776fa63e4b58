using Orleans.Storage;

namespace PeftGrid.Grains.Storage;

/// <summary>
/// A grain's append-mostly collection persisted as numbered chunks (storage records <c>{prefix}-{n}</c> of the grain),
/// so a write costs the changed chunks, not the whole collection. Chunks are read in parallel up to a count hint,
/// then probed forward until one does not exist (a chunk written after the hint was last saved is not lost).
/// Not thread-safe: callers serialize <see cref="WriteDirtyAsync"/> (one write of a chunk in flight at a time).
/// </summary>
/// <typeparam name="TChunk">The chunk type (a serializable class with a parameterless constructor).</typeparam>
internal sealed class StateChunks<TChunk>(IGrainStorage storage, GrainId grainId, string prefix) where TChunk : class, new()
{
    private readonly List<GrainState<TChunk>> states = [];
    private readonly HashSet<int> dirty = [];

    /// <summary>Chunks loaded or added.</summary>
    public int Count => states.Count;

    /// <summary>The state of chunk <paramref name="index"/>.</summary>
    public TChunk this[int index] => states[index].State ??= new TChunk();

    /// <summary>Some chunk changed since the last write.</summary>
    public bool IsDirty => dirty.Count > 0;

    /// <summary>Reads every existing chunk (<paramref name="hint"/> = chunks known to exist).</summary>
    public async Task LoadAsync(int hint)
    {
        states.Clear();
        dirty.Clear();
        var known = Enumerable.Range(0, Math.Max(0, hint)).Select(i => new GrainState<TChunk>()).ToList();
        await Task.WhenAll(known.Select((s, i) => storage.ReadStateAsync(Name(i), grainId, s)));
        foreach (var s in known)
        {
            s.State ??= new TChunk(); // a chunk inside the hint whose first write never landed: empty
            states.Add(s);
        }
        while (true)
        {
            var next = new GrainState<TChunk>();
            await storage.ReadStateAsync(Name(states.Count), grainId, next);
            if (!next.RecordExists)
            {
                return;
            }
            states.Add(next);
        }
    }

    /// <summary>Adds an empty chunk (dirty) and returns its index.</summary>
    public int Add()
    {
        states.Add(new GrainState<TChunk>(new TChunk()));
        dirty.Add(states.Count - 1);
        return states.Count - 1;
    }

    /// <summary>Marks chunk <paramref name="index"/> for the next write.</summary>
    public void MarkDirty(int index) => dirty.Add(index);

    /// <summary>Writes the changed chunks (in parallel; each is serialized when its write starts).</summary>
    public async Task WriteDirtyAsync()
    {
        if (dirty.Count == 0)
        {
            return;
        }
        var ids = dirty.ToArray();
        dirty.Clear();
        try
        {
            await Task.WhenAll(ids.Select(i => storage.WriteStateAsync(Name(i), grainId, states[i])));
        }
        catch
        {
            dirty.UnionWith(ids);
            throw;
        }
    }

    private string Name(int index) => $"{prefix}-{index}";
}
