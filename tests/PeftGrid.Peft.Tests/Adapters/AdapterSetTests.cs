using PeftGrid.Peft.Adapters;
using PeftGrid.Peft.Framework;
using PeftGrid.Peft.Seams;
using PeftGrid.Peft.Tuners.Bottleneck;
using PeftGrid.Peft.Tuners.Lora;
using Xunit;

namespace PeftGrid.Peft.Tests.Adapters;

public class AdapterSetTests
{
    private static SeamSite At(Models.Bert.BertEncoder encoder, SeamPosition position) => encoder.Sites.First(s => s.Position == position);

    [Fact]
    public void AnEmptySetIsThePlainBackbone()
    {
        using var encoder = TinyModels.Encoder();
        using var empty = AdapterSet.Create(encoder, PeftConfig.Parse("full"));
        Assert.Empty(empty.Sites);
        Assert.Empty(empty.parameters());
        Assert.True(TinyModels.MaxDiff(TinyModels.Hidden(encoder, empty), TinyModels.Hidden(encoder, null)) == 0.0);
    }

    [Fact]
    public void CreatingASetDoesNotTouchTheBackbone()
    {
        using var encoder = TinyModels.Encoder();
        using var set = AdapterSet.Create(encoder, PeftConfig.Parse("houlsby[r=4]"));
        Assert.All(encoder.parameters(), p => Assert.True(p.requires_grad));
        Assert.Equal(2 * 2, set.Sites.Count());
    }

    [Fact]
    public void AModuleMustImplementItsSitesContract()
    {
        using var encoder = TinyModels.Encoder();
        using var set = AdapterSet.Create(encoder, PeftConfig.Parse("full"));
        var lora = new LoraLinear("lora", 32, 32, new LoraOptions(2, 4, 0));
        var e = Assert.Throws<ArgumentException>(() => set.Attach(At(encoder, SeamPosition.Output), "x", lora));
        Assert.Contains("encoder.layer.0.output:Output: a LoraLinear does not implement IHiddenStateAdapter", e.Message);
    }

    [Fact]
    public void OneModulePerSiteAndPerName()
    {
        using var encoder = TinyModels.Encoder();
        using var set = AdapterSet.Create(encoder, PeftConfig.Parse("full"));
        var options = BottleneckOptions.From(PeftConfig.Parse("pa-ffn[r=2]").Modifications.Single());
        var site = At(encoder, SeamPosition.Output);
        set.Attach(site, "a", new BottleneckAdapter("adapter", 32, options));
        Assert.Contains("already attached", Assert.Throws<InvalidOperationException>(
            () => set.Attach(site, "b", new BottleneckAdapter("adapter", 32, options))).Message);
        Assert.Contains("'a' is already", Assert.Throws<InvalidOperationException>(
            () => set.Register("a", new BottleneckAdapter("adapter", 32, options), ParameterRole.Adapter)).Message);
    }

    [Fact]
    public void ASizeLargerThanTheBackboneIsRefusedBeforeAnythingIsBuilt()
    {
        using var encoder = TinyModels.Encoder();
        var e = Assert.Throws<ArgumentException>(() => AdapterSet.Create(encoder, PeftConfig.Parse("pa-ffn[r=33]")));
        Assert.Contains("r=33 is larger than the model's hidden size d=32", e.Message);
    }

    [Fact]
    public void ClassifierAppliesOneConfigurationAndFreezesPerItsPolicy()
    {
        using var model = TinyModels.Classifier("lora-attn[r=2]");
        Assert.All(model.Encoder.parameters(), p => Assert.False(p.requires_grad));
        var e = Assert.Throws<InvalidOperationException>(() => model.ApplyPeft(PeftConfig.Parse("pa-ffn")));
        Assert.Contains("already applied", e.Message);
    }
}
