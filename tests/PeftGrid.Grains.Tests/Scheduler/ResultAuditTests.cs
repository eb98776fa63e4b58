using PeftGrid.Contracts.Grid;
using PeftGrid.Contracts.Trials;
using Xunit;

namespace PeftGrid.Grains.Tests.Scheduler;

/// <summary>A finished cell whose result disappears from storage goes back to Pending (counted in Lost) and runs again.</summary>
[Collection(FaultClusterCollection.Name)]
public sealed class ResultAuditTests(FaultClusterFixture fx)
{
    private async Task<(ISchedulerGrain S, ManualWorker W, List<TrialSpec> Cells)> FinishAsync(string key, int n)
    {
        var s = fx.Client.GetGrain<ISchedulerGrain>(key);
        var w = new ManualWorker(s, $"{key}/w");
        await w.RegisterAsync();
        var cells = ClusterFixture.Cells(key, n);
        await s.SubmitAsync(new SweepRequest { SweepId = key, Cells = cells });
        for (var i = 0; i < n; i++)
        {
            Assert.Equal(CompletionOutcome.Accepted, await w.ReportAsync(await w.LeaseOneAsync(), TrialStatus.Succeeded));
        }
        Assert.Equal(n, (await s.GetStatusAsync(key)).Succeeded);
        return (s, w, cells);
    }

    [Fact]
    public async Task ResubmittingASweepRunsOnlyTheCellWhoseResultWasDeleted()
    {
        var (s, w, cells) = await FinishAsync("deleted-result", 3);
        Assert.True(fx.Storage.Delete("experiment", fx.Id<IExperimentGrain>(cells[1].CellId)));

        var again = await s.SubmitAsync(new SweepRequest { SweepId = "deleted-result", Cells = cells });

        Assert.Equal((0, 2, 1), (again.Added, again.Existing, again.Requeued));
        var status = await s.GetStatusAsync("deleted-result");
        Assert.Equal((2, 1, 1), (status.Succeeded, status.Pending, status.Lost));
        var rerun = await w.LeaseOneAsync();
        Assert.Equal((cells[1].CellId, 1), (rerun.CellId, rerun.Attempt));
        Assert.Equal(CompletionOutcome.Accepted, await w.ReportAsync(rerun, TrialStatus.Succeeded));
        status = await s.GetStatusAsync("deleted-result");
        Assert.Equal((3, 0, 1), (status.Succeeded, status.Pending, status.Lost));
        Assert.True(await fx.Client.GetGrain<IExperimentGrain>(cells[1].CellId).VerifyAsync(1));
        // Nothing else was run again.
        Assert.Empty(await w.LeaseAsync());
    }

    [Fact]
    public async Task ARestartedSchedulerAndARetryFindResultsMissingFromStorage()
    {
        var (s, _, cells) = await FinishAsync("lost-on-restart", 3);
        Assert.True(fx.Storage.Delete("experiment", fx.Id<IExperimentGrain>(cells[0].CellId)));

        await fx.Cluster.DeactivateAsync(s);

        // The activation's audit runs in the background, right after activation.
        var status = await MixedClusterFixture.WaitAsync(s, "lost-on-restart", st => st.Lost == 1, TimeSpan.FromSeconds(10));
        Assert.Equal((2, 1, 1), (status.Succeeded, status.Pending, status.Lost));
        Assert.Equal(CellStatus.Pending, (await s.GetCellsAsync("lost-on-restart")).Single(c => c.CellId == cells[0].CellId).Status);

        Assert.True(fx.Storage.Delete("experiment", fx.Id<IExperimentGrain>(cells[2].CellId)));
        var retry = await s.RetryAsync("lost-on-restart", new RetryRequest());
        Assert.Equal((0, 0, 1), (retry.Failed, retry.Diverged, retry.Lost));
        status = await s.GetStatusAsync("lost-on-restart");
        Assert.Equal((1, 2, 2), (status.Succeeded, status.Pending, status.Lost));
    }
}
