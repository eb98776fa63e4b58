using PeftGrid.Peft.Budget;
using PeftGrid.Peft.Catalog;
using PeftGrid.Peft.Framework;
using Xunit;

namespace PeftGrid.Peft.Spec.Tests.Budget;

/// <summary>Encoder-decoder counts with N_attn = 3, N_ffn = 2 against the exact values of PAPER.md §1.15 (and §1.4 for the prefix MLPs).</summary>
public class EncoderDecoderBudgetTests
{
    private static BudgetCounts Bart(string spec) => ParameterBudget.Count(PeftConfig.Parse(spec), ModelCatalog.BartLarge.Shape);

    [Fact]
    public void TrueSizesOfTheEncoderDecoders()
    {
        Assert.Equal(406_291_456L, ModelCatalog.BartLarge.Shape.TotalParameters);
        Assert.Equal(610_851_840L, ModelCatalog.MBartLargeCc25.Shape.TotalParameters);
        Assert.Equal(45_130_752L, ModelCatalog.MiniLm2MiniLm.Shape.TotalParameters);
        Assert.Equal(3_583_290L, ModelCatalog.MiniLm2MiniLm.Shape.NewParameters);   // 6 cross-attention sub-layers + LM-head bias (30,522)
        Assert.Equal(0L, ModelCatalog.BartLarge.Shape.NewParameters);
        Assert.Equal(36, ModelCatalog.BartLarge.Shape.AttentionSubLayers);
        Assert.Equal(24, ModelCatalog.BartLarge.Shape.FfnSubLayers);
    }

    [Theory]
    [InlineData("prefix[l=200]", 14_745_600L)]            // 2·200·1024·36
    [InlineData("mam[l=30,r=512,s=4]", 27_377_664L)]      // 2·30·1024·36 + 2·512·1024·24
    [InlineData("pa-ffn[r=512]", 25_165_824L)]            // adapter(ffn) r=512
    [InlineData("scaled-pa[r=512,s=4]", 25_165_824L)]
    [InlineData("sa-attn[r=30]", 2_211_840L)]             // adapter(attn) r=30
    [InlineData("lora-attn[r=200,alpha=400]", 29_491_200L)]
    [InlineData("lora-ffn[r=102,alpha=408]", 25_067_520L)]
    [InlineData("lora-ffn[r=120]", 29_491_200L)]
    [InlineData("prompt[l=200]", 204_800L)]
    [InlineData("prompt[l=300]", 307_200L)]
    [InlineData("bitfit", 333_824L)]
    [InlineData("full", 406_291_456L)]
    public void PaperCountsOnBartLargeFollowTheTable(string spec, long expected)
    {
        Assert.Equal(expected, Bart(spec).PaperCount);
    }

    [Fact]
    public void PaperPercentMapsPrefix200ToExactly3Point6()
    {
        var prefix = Bart("prefix[l=200]");
        Assert.Equal(409_600_000L, prefix.PaperMappedTotal);
        Assert.Equal(3.6, prefix.PaperPercent, 12);
        Assert.Equal(3.6293, prefix.Percent, 4);   // of the true BART-large size
    }

    [Fact]
    public void MamPercentAsThePaperMapsItAndOfTheTrueSizes()
    {
        var bart = Bart("mam[l=30,r=512,s=4]");
        Assert.Equal(6.6840, bart.PaperPercent, 4);   // the paper prints 6.7
        Assert.Equal(6.7384, bart.Percent, 4);
        var mbart = ParameterBudget.Count(PeftConfig.Parse("mam[l=30,r=512,s=4]"), ModelCatalog.MBartLargeCc25.Shape);
        Assert.Equal(27_377_664L, mbart.PaperCount);
        Assert.Equal(409_600_000L, mbart.PaperMappedTotal);   // the same % column for XSum and MT
        Assert.Equal(6.6840, mbart.PaperPercent, 4);
        Assert.Equal(4.4819, mbart.Percent, 4);
    }

    [Fact]
    public void PaperPercentIsTheTruePercentOnAnEncoder()
    {
        var counts = ParameterBudget.Count(PeftConfig.Parse("mam[l=16,r=16,s=2]"), ModelCatalog.RobertaBase.Shape);
        Assert.Null(counts.PaperMappedTotal);
        Assert.Equal(counts.Percent, counts.PaperPercent, 12);
    }

    [Fact]
    public void PrefixTrainsThreeIndependentMlpsOnBart()
    {
        // per MLP: l·d + (800d + 800) + (800·24,576 + 24,576) with 2·L·d = 24,576 (PAPER.md §1.4)
        Assert.Equal(3 * 20_536_096L, Bart("prefix[l=30]").TrainableCount);
        Assert.Equal(61_608_288L, Bart("prefix[l=30]").TrainableCount);
        Assert.Equal(62_130_528L, Bart("prefix[l=200]").TrainableCount);
        Assert.Equal(14_745_600L, Bart("prefix[l=200]").PaperCount);   // only the MLP output is counted
    }

    [Fact]
    public void MamActuallyTrains86810976OnBart()
    {
        // three prefix MLPs (l=30) + 24 scaled adapters r=512 with biases, no LayerNorm, fixed s: 61,608,288 + 24·1,050,112
        var mam = Bart("mam[l=30,r=512,s=4]");
        Assert.Equal(86_810_976L, mam.TrainableCount);
        Assert.Equal(21.37, mam.TrainablePercent, 2);
    }

    [Fact]
    public void BitFitTrainsEveryBiasOfBartLarge()
    {
        var bitfit = Bart("bitfit");
        Assert.Equal(333_824L, bitfit.TrainableCount);
        Assert.Equal(333_824L, ModelCatalog.BartLarge.Shape.BiasParameters);
    }

    [Fact]
    public void MiniLm2MiniLmCountsExcludeTheNewParts()
    {
        var shape = ModelCatalog.MiniLm2MiniLm.Shape;
        var full = ParameterBudget.Count(PeftConfig.Parse("full"), shape);
        Assert.Equal(45_130_752L, full.TrainableCount);   // the 3,583,290 new parameters train too but are reported apart
        Assert.Equal(45_130_752L, full.TotalCount);
        var prefix = ParameterBudget.Count(PeftConfig.Parse("prefix[l=30]"), shape);
        Assert.Equal(2L * 30 * 384 * 18, prefix.PaperCount);   // N_attn·L = 6 + 2·6
        Assert.Equal(76_800_000L, prefix.PaperMappedTotal);     // 2·200·384·18 / 0.036
        var lora = ParameterBudget.Count(PeftConfig.Parse("lora-ffn[r=8]"), shape);
        Assert.Equal(2L * (8 * 384 + 1536 * 8) * 12, lora.PaperCount);   // N_ffn·L = 6 + 6
    }
}
