using PeftGrid.Contracts.Trials;
using Xunit;

namespace PeftGrid.Grains.Tests.Identity;

/// <summary>The cell id: SHA-256 of the canonical resolved spec, task, model, profile, seed and data identity.</summary>
public sealed class CellIdTests
{
    private static readonly TrialSpec Mam = new() { Task = "sst2", Model = "minilm", Method = "mam" };

    [Fact]
    public void A_cell_without_a_data_identity_keeps_its_id_from_before()
    {
        Assert.Equal("", Mam.Data);
        Assert.Equal("task=sst2|model=minilm|method=mam[l=16,r=16,s=2,mid=800]|budget=|seed=42|e=1;n=;v=;t=128;b=32;lr=", Mam.Canonical());
        Assert.Equal("73eb59b71ee2fe0c", Mam.CellId);   // the id main gave this cell before issue 8
    }

    [Fact]
    public void The_data_identity_is_hashed_into_the_id()
    {
        var withData = Mam with { Data = DataIdentityTests.RealSst2 };
        Assert.Equal("task=sst2|model=minilm|method=mam[l=16,r=16,s=2,mid=800]|budget=|seed=42|e=1;n=;v=;t=128;b=32;lr=" +
                     "|data=train.tsv:3689813:d5f96c38d2bf5d6f;dev.tsv:116283:ef90ece61df13b1e", withData.Canonical());
        Assert.NotEqual(Mam.CellId, withData.CellId);
        Assert.NotEqual(withData.CellId, (withData with { Data = withData.Data.Replace("ef90", "ef91", StringComparison.Ordinal) }).CellId);
        Assert.Equal(withData.CellId, (Mam with { Data = DataIdentityTests.RealSst2 }).CellId);
    }

    [Theory]
    [InlineData("SST-2", " MiniLM ", "MAM")]
    [InlineData("sst-2", "all-MiniLM-L6-v2", "mam[s=2.0,l=16,r=16,mid=800]")]
    [InlineData(" sst2", "MINILM", " mam [ l = 16 , r = 16 ]")]
    public void Task_and_model_aliases_and_case_are_the_same_cell(string task, string model, string method)
    {
        Assert.Equal(Mam.CellId, new TrialSpec { Task = task, Model = model, Method = method }.CellId);
    }
}
