using PeftGrid.Peft.Adapters;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PeftGrid.Tasks.Tests.Training;

/// <summary>A tiny bag-of-embeddings classifier with the SequenceClassifier forward signature, for fast trainer tests.</summary>
internal sealed class ToyClassifier : nn.Module<Tensor, Tensor, Tensor, Tensor>
{
    private readonly Embedding embed;
    private readonly LayerNorm LayerNorm;
    private readonly Dropout dropout;
    private readonly Linear classifier;
    public bool PoisonForward { get; set; }
    /// <summary>Makes the gradient of <c>embed.weight</c> NaN while the loss stays finite: adds 0·√(pooled − pooled.detach())
    /// to the logits (0 in forward; backward of √ at 0 is 0/0).</summary>
    public bool PoisonGradient { get; set; }

    public ToyClassifier(int vocab, int dim, int labels) : base(nameof(ToyClassifier))
    {
        embed = nn.Embedding(vocab, dim);
        LayerNorm = nn.LayerNorm(dim);
        dropout = nn.Dropout(0.1);
        classifier = nn.Linear(dim, labels);
        RegisterComponents();
    }

    /// <summary>Every parameter with its name and role: the classifier is the task head, the rest stands for a trainable backbone.</summary>
    public List<(string Name, Parameter Parameter, ParameterRole Role)> Roles() =>
        named_parameters().Select(p => (p.name, p.parameter, p.name.StartsWith("classifier.", StringComparison.Ordinal) ? ParameterRole.TaskHead : ParameterRole.Backbone)).ToList();

    public override Tensor forward(Tensor ids, Tensor types, Tensor mask)
    {
        var m = mask.unsqueeze(-1).to(ScalarType.Float32);
        var pooled = (embed.forward(ids) * m).sum(1) / m.sum(1);
        var logits = classifier.forward(dropout.forward(LayerNorm.forward(pooled)));
        if (PoisonGradient) logits = logits + ((pooled - pooled.detach()).sqrt() * 0.0f).sum(-1, keepdim: true);
        return PoisonForward ? logits * float.NaN : logits;
    }
}
