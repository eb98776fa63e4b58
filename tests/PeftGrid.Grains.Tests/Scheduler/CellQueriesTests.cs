using PeftGrid.Contracts.Grid;
using PeftGrid.Contracts.Trials;
using PeftGrid.Grains.Scheduler;
using Xunit;

namespace PeftGrid.Grains.Tests.Scheduler;

/// <summary>The dashboard's cell pages, tiers and compute/ETA, on the plain parts and fake time.</summary>
public sealed class CellQueriesTests
{
    /// <summary>72 cells: tasks sst2, mnli × models m1, m2 × methods lora-attn, prefix, mam × tiers 0.1 %, 1 %, explicit × seeds 0, 1.</summary>
    private static (SchedulerParts P, List<CellRecord> Cells) Grid()
    {
        var p = new SchedulerParts();
        var cells = new List<CellRecord>();
        foreach (var task in new[] { "sst2", "mnli" })
        foreach (var model in new[] { "m1", "m2" })
        foreach (var method in new[] { "lora-attn", "prefix", "mam" })
        foreach (var tier in new double?[] { 0.1, 1, null })
        foreach (var seed in new[] { 0, 1 })
        {
            cells.Add(p.AddSpec(new TrialSpec { Task = task, Model = model, Method = method, BudgetPercent = tier, Seed = seed }));
        }
        return (p, cells);
    }

    private static CellPage Page(SchedulerParts p, CellQuery q) =>
        CellQueries.Page(p.Sweep, p.Table, q, p.Leases.Now, c => CellQueries.Info(c, p.Leases.Now, null));

    [Fact]
    public void FiltersCombineAndCountExactly()
    {
        var (p, cells) = Grid();
        var leased = p.Lease("node-a/w-7", 5);
        Assert.Equal(CompletionOutcome.Retrying, p.Complete("node-a/w-7", leased[0], TrialStatus.Failed)); // error "Failed", queued again

        Assert.Equal(72, Page(p, new CellQuery()).Matched);
        Assert.Equal(36, Page(p, new CellQuery { Task = "SST2" }).Matched);
        Assert.Equal(36, Page(p, new CellQuery { Model = "M2" }).Matched);
        Assert.Equal(0, Page(p, new CellQuery { Model = "m" }).Matched); // exact, not a substring
        Assert.Equal(24, Page(p, new CellQuery { Method = "LORA" }).Matched);
        Assert.Equal(48, Page(p, new CellQuery { Method = "a" }).Matched); // lora-attn and mam
        Assert.Equal(24, Page(p, new CellQuery { Tier = "1%" }).Matched);
        Assert.Equal(24, Page(p, new CellQuery { Tier = "EXPLICIT" }).Matched);
        Assert.Equal(36, Page(p, new CellQuery { Seed = 1 }).Matched);
        Assert.Equal(6, Page(p, new CellQuery { Task = "sst2", Method = "mam", Seed = 0 }).Matched);
        Assert.Equal(4, Page(p, new CellQuery { Status = CellStatus.Running }).Matched);
        Assert.Equal(5, Page(p, new CellQuery { Text = "W-7" }).Matched); // worker: the four running and the failed one
        var failed = Assert.Single(Page(p, new CellQuery { Text = "failed" }).Rows);
        Assert.Equal(cells[0].Id, failed.CellId);
        Assert.Equal(cells[3].Id, Assert.Single(Page(p, new CellQuery { Text = cells[3].Id[..10].ToUpperInvariant() }).Rows).CellId);
    }

    [Fact]
    public void SortsAreStableWithMissingValuesLastInBothDirections()
    {
        var (p, cells) = Grid();
        var all = new CellQuery { Limit = 500 };

        var byTier = Page(p, all with { Sort = CellSort.Tier }).Rows;
        Assert.Equal(cells.Where(c => c.Spec.BudgetPercent == 0.1).Select(c => c.Id), byTier.Take(24).Select(r => r.CellId)); // ties: submission order
        Assert.All(byTier.Skip(48), r => Assert.Null(r.Spec.BudgetPercent));
        var byTierDesc = Page(p, all with { Sort = CellSort.Tier, Descending = true }).Rows;
        Assert.Equal([1.0, 0.1, null], byTierDesc.Select(r => r.Spec.BudgetPercent).Distinct());

        foreach (var (cell, score) in new[] { (cells[10], 0.7), (cells[20], 0.9), (cells[30], 0.8) })
        {
            p.Table.SetStatus(cell, CellStatus.Running);
            p.Finish(cell, CellStatus.Succeeded, 12, score);
        }
        var best = Page(p, all with { Sort = CellSort.Score, Descending = true }).Rows;
        Assert.Equal([cells[20].Id, cells[30].Id, cells[10].Id, cells[0].Id], best.Take(4).Select(r => r.CellId));
        var worst = Page(p, all with { Sort = CellSort.Score }).Rows;
        Assert.Equal([cells[10].Id, cells[30].Id, cells[20].Id, cells[0].Id], worst.Take(4).Select(r => r.CellId));
        Assert.Equal((0.9, "accuracy", 12.0), (best[0].Score, best[0].Metric, best[0].Seconds));

        var byTask = Page(p, all with { Sort = CellSort.Task, Descending = true }).Rows;
        // sst2 before mnli, then m2 before m1 (task, then model, both descending); ties in submission order
        Assert.Equal(cells.Skip(18).Take(18).Concat(cells.Take(18)).Select(c => c.Id), byTask.Take(36).Select(r => r.CellId));
        var bySeedThenOrder = Page(p, all with { Sort = CellSort.Seed, Limit = 3 }).Rows;
        Assert.Equal([cells[0].Id, cells[2].Id, cells[4].Id], bySeedThenOrder.Select(r => r.CellId));
    }

    [Fact]
    public void DurationSortsRunningCellsByHowLongTheyHaveRun()
    {
        var (p, cells) = Grid();
        p.Lease("w1");                              // cells[0] at t = 0
        p.Time.Advance(TimeSpan.FromSeconds(20));
        p.Lease("w2");                              // cells[1] at t = 20
        p.Time.Advance(TimeSpan.FromSeconds(5));

        var rows = Page(p, new CellQuery { Sort = CellSort.Duration, Descending = true, Limit = 3 }).Rows;

        Assert.Equal([(cells[0].Id, 25.0), (cells[1].Id, 5.0), (cells[2].Id, 0.0)], rows.Select(r => (r.CellId, r.Seconds)));
        Assert.Equal(p.Time.GetUtcNow().UtcDateTime.AddSeconds(-25), rows[0].StartedAtUtc);
        Assert.Null(rows[0].FinishedAtUtc);
    }

    [Fact]
    public void PagesAndFacetsCoverTheWholeSweep()
    {
        var (p, cells) = Grid();
        p.Lease("w1", 2);
        p.Table.SetStatus(cells[5], CellStatus.Running);
        p.Finish(cells[5], CellStatus.Succeeded, 1, 0.8);

        var last = Page(p, new CellQuery { Offset = 70, Limit = 50 });
        Assert.Equal((72, 72, 70), (last.Matched, last.Total, last.Offset));
        Assert.Equal([cells[70].Id, cells[71].Id], last.Rows.Select(r => r.CellId));
        Assert.Empty(Page(p, new CellQuery { Offset = 100 }).Rows);
        var filtered = Page(p, new CellQuery { Task = "mnli", Limit = 10 });
        Assert.Equal((36, 72, 10), (filtered.Matched, filtered.Total, filtered.Rows.Count));

        var f = filtered.Facets;
        Assert.Equal(["mnli", "sst2"], f["task"]);
        Assert.Equal(["m1", "m2"], f["model"]);
        Assert.Equal(["lora-attn", "mam", "prefix"], f["method"]);
        Assert.Equal(["0.1%", "1%", "explicit"], f["tier"]);
        Assert.Equal(["0", "1"], f["seed"]);
        Assert.Equal(["pending", "running", "succeeded"], f["status"]);
    }

    [Theory]
    [InlineData(0, 0, "limit must be 1–500 (got 0)")]
    [InlineData(501, 0, "limit must be 1–500 (got 501)")]
    [InlineData(50, -1, "offset must be ≥ 0 (got -1)")]
    public void AnOutOfRangeLimitOrOffsetIsAOneLineError(int limit, int offset, string message)
    {
        var (p, _) = Grid();
        var e = Assert.Throws<ArgumentException>(() => Page(p, new CellQuery { Limit = limit, Offset = offset }));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void TiersComputeAndEtaFollowTheClock()
    {
        var p = new SchedulerParts(leaseSeconds: 600);
        var spec = new TrialSpec { Task = "sst2", Model = "m", Method = "lora-attn", BudgetPercent = 0.5 };
        var cells = new[] { p.AddSpec(spec), p.AddSpec(spec with { Seed = 1 }), p.AddSpec(spec with { Seed = 2 }), p.AddSpec(spec with { BudgetPercent = null, Method = "lora-attn[r=4]" }) };
        var before = CellQueries.Compute(p.Sweep, p.Table, p.Leases, 2);
        Assert.Equal((0.0, (double?)null, (double?)null), before);

        var first = p.Lease("w1").Single();         // cells[0], t = 0
        p.Lease("w2");                              // cells[1], t = 0
        p.Time.Advance(TimeSpan.FromSeconds(30));
        var outcome = p.Dispatcher.Complete("w1", new CellCompletion { CellId = first.CellId, Token = first.Token, Result = SchedulerParts.Result(first.Spec, TrialStatus.Succeeded), WallSeconds = 30 }, out _);
        Assert.Equal(CompletionOutcome.Accepted, outcome);
        p.Finish(cells[0], CellStatus.Succeeded, 30);
        p.Lease("w1");                              // cells[2], t = 30
        p.Time.Advance(TimeSpan.FromSeconds(10));   // t = 40: cells[1] ran 40 s, cells[2] 10 s

        var (compute, remaining, eta) = CellQueries.Compute(p.Sweep, p.Table, p.Leases, 2);
        Assert.Equal(30 + 40 + 10, compute);
        Assert.Equal(1 * 30 + 0 + (30 - 10), remaining); // the pending cell, cells[1] past the mean (0), cells[2]'s rest
        Assert.Equal(25, eta);
        Assert.Equal(50, CellQueries.Compute(p.Sweep, p.Table, p.Leases, 0).Eta); // at least one worker

        var tiers = CellQueries.Tiers(p.Sweep);
        Assert.Equal(["0.5%", "explicit"], tiers.Select(t => t.Label));
        Assert.Equal((0.5, 3, 0, 2, 1), (tiers[0].Tier!.Value, tiers[0].Total, tiers[0].Pending, tiers[0].Running, tiers[0].Succeeded));
        Assert.Equal(((double?)null, 1, 1, 0), (tiers[1].Tier, tiers[1].Total, tiers[1].Pending, tiers[1].Running));

        // A hand-back is compute spent too; when nothing is left the ETA is 0.
        var handed = p.Leases.All.First(l => l.Value.CellId == cells[2].Id);
        p.Dispatcher.Complete("w1", new CellCompletion { CellId = cells[2].Id, Token = handed.Key, Result = SchedulerParts.Result(cells[2].Spec, TrialStatus.Cancelled), WallSeconds = 10 }, out _);
        Assert.Equal(30 + 40 + 10, CellQueries.Compute(p.Sweep, p.Table, p.Leases, 2).Compute);
        foreach (var c in cells.Where(c => !c.IsTerminal))
        {
            p.Table.SetStatus(c, CellStatus.Running);
            p.Finish(c, CellStatus.Failed, 0);
        }
        Assert.Equal(0, CellQueries.Compute(p.Sweep, p.Table, p.Leases, 2).Eta);
    }
}
