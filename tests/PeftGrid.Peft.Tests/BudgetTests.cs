using PeftGrid.Peft.Budget;
using PeftGrid.Peft.Framework;
using PeftGrid.Peft.Specs;
using Xunit;

namespace PeftGrid.Peft.Tests;

/// <summary>The closed-form trainable count (PeftGrid.Peft.Spec) against the parameters counted on a built model.</summary>
public class BudgetTests
{
    public static IEnumerable<object[]> Presets => Specs.Presets.List.Select(p => new object[] { p.Name });

    [Theory]
    [MemberData(nameof(Presets))]
    public void ClosedFormTrainableCountEqualsCountedOnTheBuiltModel(string preset)
    {
        var spec = preset switch { "scaled-pa" => "scaled-pa[s=learned]", "prefix" => "prefix[l=5]", "mh-pa" => "mh-pa[r=6,mid=0]", _ => preset };
        using var model = TinyModels.Classifier(spec);
        var closed = ParameterBudget.Count(PeftConfig.Parse(spec), TinyModels.Shape);
        var counted = model.CountedBudget();
        Assert.Equal(closed.TotalCount, counted.TotalCount);
        Assert.Equal(closed.TrainableCount, counted.TrainableCount);
    }
}
