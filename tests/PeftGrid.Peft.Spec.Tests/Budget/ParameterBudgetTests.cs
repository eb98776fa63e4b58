using PeftGrid.Peft.Catalog;
using PeftGrid.Peft.Budget;
using PeftGrid.Peft.Framework;
using Xunit;

namespace PeftGrid.Peft.Spec.Tests.Budget;

public class ParameterBudgetTests
{
    [Fact]
    public void GlueMamOnRobertaBaseHasPaperCount589824()
    {
        var counts = ParameterBudget.Count(PeftConfig.Parse("mam[l=16,r=16,s=2]"), ModelCatalog.RobertaBase.Shape);
        Assert.Equal(589_824L, counts.PaperCount);
        Assert.Equal(124_055_040L, counts.TotalCount);
        Assert.Equal(0.4755, counts.Percent, 4);
    }

    [Theory]
    [InlineData("prefix[l=200]", 2L * 200 * 768 * 12)]
    [InlineData("lora-attn[r=16]", 4L * 16 * 768 * 12)]
    [InlineData("lora-ffn[r=102]", 10L * 102 * 768 * 12)]
    [InlineData("houlsby[r=16]", 2 * 2L * 16 * 768 * 12)]
    [InlineData("prompt[l=200]", 200L * 768)]
    [InlineData("pa-attn+pa-ffn[attn_r=30,ffn_r=512]", 2L * 30 * 768 * 12 + 2L * 512 * 768 * 12)]
    public void PaperCountsFollowAppendixB(string spec, long expected)
    {
        Assert.Equal(expected, ParameterBudget.Count(PeftConfig.Parse(spec), ModelCatalog.RobertaBase.Shape).PaperCount);
    }
}
