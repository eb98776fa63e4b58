using PeftGrid.Contracts.Grid;
using PeftGrid.Contracts.Trials;
using PeftGrid.Grains.Runners;
using Xunit;

namespace PeftGrid.Grains.Tests.Identity;

/// <summary>One configuration in five spellings, submitted to a running cluster, is one cell that runs once.</summary>
[Collection(ClusterCollection.Name)]
public sealed class SpellingClusterTests(ClusterFixture fx)
{
    public static readonly string[] FiveSpellingsOfMam =
        ["mam", "MAM", "mam[r=16,l=16,s=2]", "mam[s=2.0,l=16,r=16,mid=800]", " mam [ l = 16 , r = 16 ]"];

    [Fact]
    public async Task Five_spellings_of_one_configuration_are_one_cell_in_the_cluster()
    {
        var cells = FiveSpellingsOfMam.Select(m => new TrialSpec
        {
            Task = "sst2", Model = "minilm", Method = m, Seed = 5005, Data = DataIdentityTests.RealSst2,
        }).ToList();
        var id = Assert.Single(cells.Select(c => c.CellId).Distinct());

        var submit = await fx.Scheduler.SubmitAsync(new SweepRequest { SweepId = "five-spellings", Cells = cells });

        Assert.Equal((1, 0), (submit.Added, submit.Refused.Count));
        var status = await fx.WaitCompleteAsync("five-spellings", TimeSpan.FromSeconds(30));
        Assert.Equal((1, 1), (status.Total, status.Succeeded));
        Assert.Equal(id, Assert.Single(await fx.Scheduler.GetCellsAsync("five-spellings")).CellId);
        Assert.Equal(1, FakeTrialRunner.Runs[id]);

        var again = await fx.Scheduler.SubmitAsync(new SweepRequest { SweepId = "five-spellings", Cells = cells.Select(c => c with { Method = "Mam" }).ToList() });
        Assert.Equal(0, again.Added);
    }
}
