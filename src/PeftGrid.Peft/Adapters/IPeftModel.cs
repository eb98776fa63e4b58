using PeftGrid.Peft.Budget;
using static TorchSharp.torch;
using TorchSharp.Modules;

namespace PeftGrid.Peft.Adapters;

/// <summary>
/// A model with at most one PEFT configuration applied, as the trial pipeline sees it, whatever its architecture (an encoder with a
/// classification head today, an encoder-decoder next): what trains and in which role, the budget actually built, and the
/// trained state to save or reload. Implemented by the model module itself.
/// </summary>
public interface IPeftModel : IDisposable
{
    /// <summary>The applied adapter set, or null when no configuration is applied.</summary>
    AdapterSet? Adapters { get; }

    /// <summary>Every parameter that trains, with its checkpoint-style name and its <see cref="ParameterRole"/>, in a fixed order.</summary>
    IEnumerable<(string Name, Parameter Parameter, ParameterRole Role)> TrainableParameters();

    /// <summary>The counted budget of the built model: trainable parameters except the task head's, against the pretrained total.</summary>
    BudgetCounts CountedBudget();

    /// <summary>The trained parameters (<see cref="TrainableParameters"/>) detached on CPU, by name: what an adapter file holds.</summary>
    Dictionary<string, Tensor> AdapterStateDict();

    /// <summary>Loads parameters written by <see cref="AdapterStateDict"/> into this identically configured model.</summary>
    /// <exception cref="InvalidDataException">Missing, unexpected or mis-shaped keys.</exception>
    void LoadAdapterStateDict(IReadOnlyDictionary<string, Tensor> state);
}
