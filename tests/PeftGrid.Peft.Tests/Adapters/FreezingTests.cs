using PeftGrid.Peft.Framework;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace PeftGrid.Peft.Tests.Adapters;

public class FreezingTests
{
    public static IEnumerable<object[]> Presets => Specs.Presets.List.Select(p => new object[] { p.Name });

    [Theory]
    [MemberData(nameof(Presets))]
    public void FrozenParametersGetNoGradientAndOnlyTheConfigurationTrains(string preset)
    {
        using var model = TinyModels.Classifier(preset);
        model.train();
        var trainable = model.TrainableParameters().ToList();
        var trainableSet = trainable.Select(p => p.Parameter.Handle).ToHashSet();
        // What the optimizer gets is exactly the set of parameters with requires_grad.
        Assert.Equal(model.parameters().Where(p => p.requires_grad).Select(p => p.Handle).ToHashSet(), trainableSet);
        var (ids, types, mask) = TinyModels.Batch();
        var labels = torch.tensor(new long[] { 0, 1, 2 });
        var loss = torch.nn.functional.cross_entropy(model.forward(ids, types, mask), labels);
        loss.backward();
        foreach (var (name, p) in model.Encoder.named_parameters())
        {
            if (!p.requires_grad) { Assert.True(p.grad is null, $"{preset}: frozen {name} has a gradient"); }
        }
        var withGrad = trainable.Count(p => p.Parameter.grad is not null);
        Assert.True(withGrad > 0);
        var expectBackbone = PeftConfig.Parse(preset).Backbone;
        var backboneTrainable = model.Encoder.parameters().Count(p => p.requires_grad);
        switch (expectBackbone)
        {
            case BackboneTraining.All: Assert.Equal(model.Encoder.parameters().Count(), backboneTrainable); break;
            case BackboneTraining.Biases: Assert.Equal(model.Encoder.named_parameters().Count(p => p.name.EndsWith("bias")), backboneTrainable); break;
            default: Assert.Equal(0, backboneTrainable); break;
        }
    }
}
