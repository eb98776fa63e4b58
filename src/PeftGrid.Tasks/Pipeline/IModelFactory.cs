using PeftGrid.Peft.Adapters;
using PeftGrid.Tasks.Runner;
using static TorchSharp.torch;

namespace PeftGrid.Tasks.Pipeline;

/// <summary>
/// Builds the model of a trial (<see cref="TrialExecutor{TModel}"/>): loads the pretrained weights of the plan's model, adds what
/// the task needs on top (a classification head of the task's label count; nothing for an encoder-decoder's LM head) and applies
/// the plan's PEFT configuration. The model is built on the CPU; the executor moves it to the trial's device.
/// </summary>
/// <typeparam name="TModel">The model type.</typeparam>
public interface IModelFactory<out TModel> where TModel : nn.Module, IPeftModel
{
    /// <summary>The model of <paramref name="plan"/>, configuration applied. Fresh parameters (head, adapters) draw from torch's
    /// default generator: the executor seeds it first.</summary>
    /// <exception cref="ArgumentException">Unknown model or weights not available.</exception>
    /// <exception cref="InvalidDataException">A checkpoint with missing, unknown or mis-shaped tensors.</exception>
    TModel Create(TrialPlan plan);
}
