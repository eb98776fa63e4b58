using PeftGrid.Models;
using PeftGrid.Models.Bert;
using PeftGrid.Tasks.Pipeline;
using PeftGrid.Tasks.Runner;

namespace PeftGrid.Tasks.Classification;

/// <summary>
/// Builds the classifier of a trial: the pretrained encoder of the plan's model (<see cref="ModelLoader.LoadClassifier"/>, with
/// the catalog's pooling for it) under a new head of the task's label count, then the plan's configuration applied
/// (<see cref="SequenceClassifier.ApplyPeft"/>).
/// </summary>
public sealed class ClassifierFactory : IModelFactory<SequenceClassifier>
{
    /// <inheritdoc />
    public SequenceClassifier Create(TrialPlan plan)
    {
        var model = ModelLoader.LoadClassifier(plan.Spec.Model, GlueClassificationTask.Glue(plan).NumLabels);
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
