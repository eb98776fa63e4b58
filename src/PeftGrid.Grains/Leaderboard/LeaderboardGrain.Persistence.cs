using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Storage;
using PeftGrid.Contracts.Grid;
using PeftGrid.Grains.Storage;

namespace PeftGrid.Grains.Leaderboard;

/// <summary>The leaderboard grain's storage: loading the chunks, writing changes, resolving storage conflicts.</summary>
public sealed partial class LeaderboardGrain
{
    /// <inheritdoc/>
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var storage = ServiceProvider.GetRequiredKeyedService<IGrainStorage>(GrainKeys.Storage);
        chunks = new StateChunks<LeaderboardChunk>(storage, this.GetGrainId(), "leaderboard-entries");
        await chunks.LoadAsync(store.State.ChunkCount);
        IndexChunks();
        await base.OnActivateAsync(cancellationToken);
    }

    /// <summary>Rebuilds the in-memory index from the loaded chunks. A cell stored twice (two writers) keeps its higher run
    /// (the earlier copy on a tie); the other copy is dropped from its chunk, which is written with the next change.</summary>
    private void IndexChunks()
    {
        entries.Clear();
        groupIndex.Clear();
        groups.Clear();
        cached = null;
        for (var k = 0; k < chunks.Count; k++)
        {
            var list = chunks[k].Entries;
            for (var i = 0; i < list.Count; i++)
            {
                var e = list[i];
                if (!entries.TryGetValue(e.CellId, out var slot))
                {
                    entries[e.CellId] = (e, k);
                    AddToGroup(e);
                    continue;
                }
                if (e.Run > slot.Entry.Run)
                {
                    Replace(slot.Entry, slot.Chunk, e); // the winner moves into the loser's place; drop this copy
                }
                list.RemoveAt(i--);
                chunks.MarkDirty(k);
            }
        }
    }

    /// <summary>Writes the changed chunks and, if the chunk count changed, the head; on a storage conflict re-reads and re-applies.</summary>
    private async Task PersistAsync()
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                if (chunks.IsDirty)
                {
                    cached = null;
                    await chunks.WriteDirtyAsync();
                }
                if (store.State.ChunkCount != chunks.Count)
                {
                    store.State.ChunkCount = chunks.Count;
                    await store.WriteStateAsync();
                }
                return;
            }
            catch (Exception e) when (StorageConflicts.IsConflict(e) && attempt < MaxWriteAttempts)
            {
                logger.LogWarning(e, "Leaderboard {Key}: storage conflict on write (attempt {Attempt}); re-reading and re-applying {Entries} entries and {Removed} removals",
                    this.GetPrimaryKeyString(), attempt, entries.Count, removed.Count);
                await ReloadAndReapplyAsync();
            }
        }
    }

    /// <summary>Re-reads head and chunks (fresh etags), then re-applies every entry this activation holds (storage keeps a cell
    /// only if its run is higher) and this activation's removals, marking what differs from storage for the next write. The
    /// entries to re-apply are kept in <see cref="reapply"/> until this succeeds, so a failed re-read (storage down) loses
    /// nothing: the next ingest or removal re-reads first (<see cref="RecoverAsync"/>).</summary>
    private async Task ReloadAndReapplyAsync()
    {
        if (reapply is null)
        {
            reapply = new List<LeaderboardEntry>(entries.Count);
            for (var k = 0; k < chunks.Count; k++)
            {
                reapply.AddRange(chunks[k].Entries.Where(e => entries.TryGetValue(e.CellId, out var s) && ReferenceEquals(s.Entry, e)));
            }
        }
        await store.ReadStateAsync();
        await chunks.LoadAsync(store.State.ChunkCount);
        IndexChunks();
        foreach (var id in removed)
        {
            Remove(id);
        }
        var mine = reapply;
        reapply = null;
        foreach (var e in mine)
        {
            if (!entries.TryGetValue(e.CellId, out var slot))
            {
                Append(e);
            }
            else if (slot.Entry.Run <= e.Run && slot.Entry != e)
            {
                Replace(slot.Entry, slot.Chunk, e);
            }
        }
    }

    /// <summary>Finishes an interrupted <see cref="ReloadAndReapplyAsync"/> (the chunks in memory are not trustworthy then).</summary>
    private async Task RecoverAsync()
    {
        if (reapply is not null)
        {
            await ReloadAndReapplyAsync();
        }
    }
}
