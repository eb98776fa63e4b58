using PeftGrid.Peft.Catalog;
using PeftGrid.Peft.Budget;
using PeftGrid.Peft.Framework;
using Xunit;

namespace PeftGrid.Peft.Spec.Tests.Framework;

public class PeftConfigTests
{
    [Fact]
    public void RLargerThanDIsAnError()
    {
        var e = Assert.Throws<ArgumentException>(() => PeftConfig.Parse("pa-ffn[r=600]").ValidateFor(ModelCatalog.MiniLM.Shape));
        Assert.Contains("r=600 is larger than the model's hidden size d=384", e.Message);
        PeftConfig.Parse("pa-ffn[r=384]").ValidateFor(ModelCatalog.MiniLM.Shape);
    }
}
