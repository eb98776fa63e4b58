using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Runtime;
using Orleans.Storage;
using PeftGrid.Contracts.Grid;
using PeftGrid.Grains.Leaderboard;
using Xunit;
using static PeftGrid.Grains.Tests.Leaderboard.LeaderboardHonestyTests;

namespace PeftGrid.Grains.Tests.Leaderboard;

/// <summary>The leaderboard grain in the in-process cluster: replacement by run, removal, persistence across deactivation,
/// storage conflicts (another writer, storage lost) resolved by re-reading and re-applying.</summary>
[Collection(ClusterCollection.Name)]
public sealed class LeaderboardGrainTests(ClusterFixture fx)
{
    private ILeaderboardGrain Board(string model) => fx.Client.GetGrain<ILeaderboardGrain>(GrainKeys.Leaderboard("sst2", model));

    private static List<LeaderboardEntry> Seeds(int count, string method = "lora-attn") =>
        Enumerable.Range(1, count).Select(s => E(method, 0.5, s, 0.5 + s / 1000.0, 0.5, cell: $"{method}-{s}")).ToList();

    private async Task<List<LeaderboardEntry>> ReloadedEntriesAsync(ILeaderboardGrain board)
    {
        await fx.Cluster.DeactivateAsync(board);
        return (await board.GetEntriesAsync()).ToList();
    }

    [Fact]
    public async Task HigherRunReplacesEqualOrLowerIsADuplicate()
    {
        var board = Board("grain-run");
        Assert.Equal(3, await board.IngestAsync(Seeds(3)));
        var retried = Seeds(3)[0] with { Score = 0.9, Run = 2 };
        Assert.Equal(0, await board.IngestAsync([Seeds(3)[0] with { Score = 0.1 }]));   // equal run: duplicate, score kept
        Assert.Equal(1, await board.IngestAsync([retried]));
        Assert.Equal(0, await board.IngestAsync([retried with { Score = 0.2 }, Seeds(3)[0]]));   // equal and lower run
        var row = (await board.GetAsync()).Tiers.Single().Rows.Single();
        Assert.Equal((3, 0), (row.Seeds, row.DuplicateSeeds));
        Assert.Equal((0.9 + 0.502 + 0.503) / 3, row.Mean, 12);
        var reloaded = await ReloadedEntriesAsync(board);
        Assert.Equal(3, reloaded.Count);
        Assert.Equal((2, 0.9), (reloaded.Single(e => e.CellId == "lora-attn-1").Run, reloaded.Single(e => e.CellId == "lora-attn-1").Score));
    }

    [Fact]
    public async Task RemoveAsyncRemovesPersistsAndReIngestAddsBack()
    {
        var board = Board("grain-remove");
        var entries = Seeds(70);   // two chunks
        Assert.Equal(70, await board.IngestAsync(entries));
        Assert.Equal(2, await board.RemoveAsync(["lora-attn-3", "lora-attn-66", "no-such-cell"]));
        Assert.Equal(0, await board.RemoveAsync(["lora-attn-3"]));
        var view = await board.GetAsync();
        Assert.Equal((68, 68), (view.Cells, view.Tiers.Single().Rows.Single().Seeds));
        var reloaded = await ReloadedEntriesAsync(board);
        Assert.Equal(68, reloaded.Count);
        Assert.DoesNotContain(reloaded, e => e.CellId is "lora-attn-3" or "lora-attn-66");
        Assert.Equal(0, await board.IngestAsync(entries.Where(e => e.CellId is not ("lora-attn-3" or "lora-attn-66")).ToList()));   // idempotent after reactivation...
        Assert.Equal(68, (await board.GetAsync()).Cells);
        Assert.Equal(1, await board.RemoveAsync(["lora-attn-1"]));
        Assert.Equal(1, await board.IngestAsync([entries[0]]));   // ...and a removed cell can come back (rerun after a lost result)
        Assert.Equal(68, (await ReloadedEntriesAsync(board)).Count);
    }

    [Fact]
    public async Task RemovingTheLastCellOfARowRemovesTheRow()
    {
        var board = Board("grain-row");
        await board.IngestAsync([.. Seeds(2), .. Seeds(1, "prefix")]);
        Assert.Equal(1, await board.RemoveAsync(["prefix-1"]));
        Assert.Equal(["lora-attn"], (await board.GetAsync()).Tiers.Single().Rows.Select(r => r.Method));
    }

    [Fact]
    public async Task ConflictWithAnotherWriterKeepsBothWritersEntriesAndOurRemovals()
    {
        var board = Board("grain-conflict");
        Assert.Equal(3, await board.IngestAsync(Seeds(3)));
        Assert.Equal(1, await board.RemoveAsync(["lora-attn-2"]));
        // Another writer (a stale activation) rewrites chunk 0 with the removed cell and one of its own: our etag is now stale.
        var chunk = await ReadAsync<LeaderboardChunk>(board, "leaderboard-entries-0");
        chunk.State!.Entries.Add(Seeds(3)[1]);
        chunk.State.Entries.Add(E("prefix", 0.5, 1, 0.7, 0.5, cell: "foreign"));
        await Storage.WriteStateAsync("leaderboard-entries-0", board.GetGrainId(), chunk);

        Assert.Equal(1, await board.IngestAsync([E("lora-attn", 0.5, 4, 0.6, 0.5, cell: "lora-attn-4")]));   // conflict → re-read, re-apply
        var expected = new[] { "foreign", "lora-attn-1", "lora-attn-3", "lora-attn-4" };
        Assert.Equal(expected, (await board.GetEntriesAsync()).Select(e => e.CellId));
        Assert.Equal(expected, (await ReloadedEntriesAsync(board)).Select(e => e.CellId));
    }

    [Theory]
    [InlineData(70)]   // the next ingest rewrites chunk 1: its write conflicts
    [InlineData(64)]   // the next ingest opens chunk 2: the head's write conflicts, then the re-applied chunk 1 meets the new one
    public async Task StorageLostEmptyRewritesEveryAcknowledgedEntry(int count)
    {
        var board = Board($"grain-lost-{count}");
        Assert.Equal(count, await board.IngestAsync(Seeds(count)));
        // Redis restarted empty: every record of the grain is gone (the grain still holds etags of the old records).
        await Storage.ClearStateAsync("leaderboard", board.GetGrainId(), await ReadAsync<LeaderboardState>(board, "leaderboard"));
        foreach (var name in new[] { "leaderboard-entries-0", "leaderboard-entries-1" })
        {
            await Storage.ClearStateAsync(name, board.GetGrainId(), await ReadAsync<LeaderboardChunk>(board, name));
        }
        Assert.Equal(1, await board.IngestAsync([E("lora-attn", 0.5, 1000, 0.6, 0.5, cell: "lora-attn-1000")]));
        var reloaded = await ReloadedEntriesAsync(board);
        Assert.Equal(count + 1, reloaded.Count);
        Assert.Equal(count + 1, (await board.GetAsync()).Tiers.Single().Rows.Single().Seeds);
    }

    private IGrainStorage Storage => fx.Cluster.GetSiloServiceProvider().GetRequiredKeyedService<IGrainStorage>(GrainKeys.Storage);

    private async Task<GrainState<T>> ReadAsync<T>(ILeaderboardGrain board, string name)
    {
        var state = new GrainState<T>();
        await Storage.ReadStateAsync(name, board.GetGrainId(), state);
        return state;
    }
}
