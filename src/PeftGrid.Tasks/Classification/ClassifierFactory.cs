using PeftGrid.Models;
using PeftGrid.Models.Bert;
using PeftGrid.Tasks.Pipeline;
using PeftGrid.Tasks.Runner;

namespace PeftGrid.Tasks.Classification;

/// <summary>
/// Builds the classifier of a trial: the pretrained encoder of the plan's model (<see cref="ModelCatalog.LoadClassifier"/>, with
/// the model's pooling) under a new head of the task's label count, then the plan's configuration applied
/// (<see cref="SequenceClassifier.ApplyPeft"/>).
/// </summary>
public sealed class ClassifierFactory : IModelFactory<SequenceClassifier>
{
    /// <inheritdoc />
    public SequenceClassifier Create(TrialPlan plan)
    {
        var model = ModelCatalog.LoadClassifier(plan.Spec.Model.Trim().ToLowerInvariant(), plan.Task.NumLabels);
        try
        {
            model.ApplyPeft(plan.Config);
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }
}
