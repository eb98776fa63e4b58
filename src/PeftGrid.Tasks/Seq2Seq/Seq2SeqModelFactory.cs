using PeftGrid.Models;
using PeftGrid.Models.Seq2Seq;
using PeftGrid.Tasks.Pipeline;
using PeftGrid.Tasks.Runner;

namespace PeftGrid.Tasks.Seq2Seq;

/// <summary>
/// Builds the encoder-decoder of a seq2seq trial: the pretrained backbone of the plan's model (<see cref="ModelLoader.LoadSeq2Seq"/>,
/// dropout 0.1 as in the paper; minilm2minilm warm-starts its new cross-attention from torch's seeded generator) wrapped in a
/// <see cref="Seq2SeqModel"/> (LM head tied, no task head), then the plan's configuration applied (<see cref="Seq2SeqModel.ApplyPeft"/>).
/// </summary>
public sealed class Seq2SeqModelFactory : IModelFactory<Seq2SeqModel>
{
    /// <inheritdoc />
    public Seq2SeqModel Create(TrialPlan plan)
    {
        var model = new Seq2SeqModel(ModelLoader.LoadSeq2Seq(plan.Spec.Model));
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
