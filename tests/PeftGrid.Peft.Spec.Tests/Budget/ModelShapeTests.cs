using PeftGrid.Peft.Budget;
using Xunit;

namespace PeftGrid.Peft.Spec.Tests.Budget;

public class ModelShapeTests
{
    [Fact]
    public void BuiltInModelTotals()
    {
        Assert.Equal(22_565_376L, ModelShape.MiniLM.TotalParameters);
        Assert.Equal(124_055_040L, ModelShape.RobertaBase.TotalParameters);
        Assert.Equal(108_891_648L, ModelShape.BertBaseUncased.TotalParameters);
    }
}
