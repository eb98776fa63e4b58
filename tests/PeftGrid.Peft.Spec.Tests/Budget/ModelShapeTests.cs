using PeftGrid.Peft.Catalog;
using PeftGrid.Peft.Budget;
using Xunit;

namespace PeftGrid.Peft.Spec.Tests.Budget;

public class ModelShapeTests
{
    [Fact]
    public void BuiltInModelTotals()
    {
        Assert.Equal(22_565_376L, ModelCatalog.MiniLM.Shape.TotalParameters);
        Assert.Equal(124_055_040L, ModelCatalog.RobertaBase.Shape.TotalParameters);
        Assert.Equal(108_891_648L, ModelCatalog.BertBaseUncased.Shape.TotalParameters);
    }
}
