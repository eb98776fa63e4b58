using PeftGrid.Models.Bart;
using PeftGrid.Peft.Budget;
using PeftGrid.Peft.Catalog;
using PeftGrid.Peft.Framework;
using Xunit;

namespace PeftGrid.Peft.Tests.EncoderDecoder;

/// <summary>The closed-form counts (PeftGrid.Peft.Spec) against the parameters counted on a built tiny BART / mBART.</summary>
public class BartBudgetTests
{
    public static TheoryData<ModelLayout, string> Presets
    {
        get
        {
            var data = new TheoryData<ModelLayout, string>();
            foreach (var layout in new[] { ModelLayout.Bart, ModelLayout.MBart })
            {
                foreach (var p in Specs.Presets.List) { data.Add(layout, p.Name); }
            }
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Presets))]
    public void ClosedFormEqualsCountedForEveryPreset(ModelLayout layout, string preset)
    {
        var spec = preset switch { "scaled-pa" => "scaled-pa[s=learned]", "prefix" => "prefix[l=5]", "mh-pa" => "mh-pa[r=6,mid=0]", _ => preset };
        using var model = TinyBart.Model(layout, spec);
        var shape = TinyBart.Shape(layout);
        var closed = ParameterBudget.Count(PeftConfig.Parse(spec), shape);
        var counted = model.CountedBudget();
        Assert.Equal(closed.TrainableCount, counted.TrainableCount);
        Assert.Equal(closed.TotalCount, counted.TotalCount);
        Assert.Equal(shape.TotalParameters, counted.TotalCount);
        Assert.Equal(0, model.NewParameterCount());
    }

    [Theory]
    [InlineData("bart-large", 406_291_456L)]
    [InlineData("mbart-large-cc25", 610_851_840L)]
    public void CatalogShapesHaveThePaperTotals(string name, long total)
    {
        var entry = ModelCatalog.Find(name);
        var shape = BartConfig.For(entry).Shape;
        Assert.Equal(entry.Shape, shape);
        Assert.Equal(total, shape.TotalParameters);
    }

    [Fact]
    public void PrefixL200OnBartLargeIsThePapersCount() =>
        Assert.Equal(14_745_600, ParameterBudget.Count(PeftConfig.Parse("prefix[l=200]"), BartConfig.For(ModelCatalog.BartLarge).Shape).PaperCount);
}
