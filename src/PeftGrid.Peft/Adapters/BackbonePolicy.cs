using PeftGrid.Peft.Framework;
using PeftGrid.Peft.Seams;

namespace PeftGrid.Peft.Adapters;

/// <summary>Sets which pretrained parameters train, per a configuration's <see cref="BackboneTraining"/>.</summary>
public static class BackbonePolicy
{
    /// <summary>
    /// Freezes every pretrained parameter of <paramref name="backbone"/> except those <paramref name="training"/> trains
    /// (<see cref="BackboneTraining.Biases"/>: names ending in <c>bias</c>, LayerNorm biases included; <see cref="BackboneTraining.All"/>:
    /// all). A backbone shared by several adapter sets must stay <see cref="BackboneTraining.Frozen"/>.
    /// </summary>
    public static void Apply(IPeftBackbone backbone, BackboneTraining training)
    {
        foreach (var (name, parameter) in backbone.PretrainedParameters())
        {
            parameter.requires_grad = Trains(name, training);
        }
    }

    /// <summary>Whether the pretrained parameter <paramref name="name"/> (HF key) trains under <paramref name="training"/>.</summary>
    public static bool Trains(string name, BackboneTraining training) => training switch
    {
        BackboneTraining.All => true,
        BackboneTraining.Biases => name.EndsWith("bias", StringComparison.Ordinal),
        _ => false,
    };
}
