using PeftGrid.Peft.Adapters;
using Xunit;

namespace PeftGrid.Peft.Tests.Adapters;

public class ParameterRoleTests
{
    public static IEnumerable<object[]> Presets => PeftGrid.Peft.Specs.Presets.List.Select(p => new object[] { p.Name });

    [Theory]
    [MemberData(nameof(Presets))]
    public void EveryTrainableParameterCarriesTheRoleOfWhatItIs(string preset)
    {
        using var model = TinyModels.Classifier(preset);
        var backbone = model.Encoder.PretrainedParameters().Select(p => AdapterSet.PeftPrefix + p.Name).ToHashSet();
        foreach (var (name, _, role) in model.TrainableParameters())
        {
            var expected = name.StartsWith("classifier.", StringComparison.Ordinal) ? ParameterRole.TaskHead
                : name.StartsWith("base_model.model.prefix_encoder.", StringComparison.Ordinal) ? ParameterRole.PrefixEncoder
                : backbone.Contains(name) ? ParameterRole.Backbone
                : ParameterRole.Adapter;
            Assert.True(expected == role, $"{preset}: {name} is {role}, expected {expected}");
        }
    }

    [Theory]
    [InlineData("mam[l=4,r=8,s=2]", 0, 8, 5, 4)]         // PA: 2 layers × (down, up) × (w, b); prefix MLP: wte, 2 × (w, b)
    [InlineData("bitfit", 1 + 2 * 8, 0, 0, 4)]              // embedding LN bias + per layer: q, k, v, o, W_1, W_2 and 2 LN biases
    [InlineData("lora-ffn[r=2]", 0, 2 * 2 * 2, 0, 4)]
    [InlineData("prompt[l=3]", 0, 1, 0, 4)]
    public void RolesCountExactly(string spec, int backbone, int adapter, int prefixEncoder, int head)
    {
        using var model = TinyModels.Classifier(spec);
        var counts = model.TrainableParameters().GroupBy(p => p.Role).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(backbone, counts.GetValueOrDefault(ParameterRole.Backbone));
        Assert.Equal(adapter, counts.GetValueOrDefault(ParameterRole.Adapter));
        Assert.Equal(prefixEncoder, counts.GetValueOrDefault(ParameterRole.PrefixEncoder));
        Assert.Equal(head, counts.GetValueOrDefault(ParameterRole.TaskHead));
    }
}
