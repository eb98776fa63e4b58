using PeftGrid.Peft.Adapters;
using PeftGrid.Peft.Budget;
using PeftGrid.Peft.Catalog;
using PeftGrid.Peft.Framework;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace PeftGrid.Models.Bert;

/// <summary>
/// The task head (RoBERTa style, HF keys <c>classifier.dense</c>, <c>classifier.out_proj</c>): on the first token's hidden state,
/// Dropout → Linear(d, d) → tanh → Dropout → Linear(d, C); weights N(0, 0.02), biases 0. [B, d] → logits [B, C].
/// Always trainable and excluded from every budget.
/// </summary>
public sealed class ClassificationHead : Module<Tensor, Tensor>
{
    private readonly Linear dense;
    private readonly Linear out_proj;
    private readonly Dropout dropout;

    /// <summary>Creates a head for <paramref name="numLabels"/> classes on width <paramref name="d"/>.</summary>
    public ClassificationHead(int d, int numLabels, double dropoutProbability) : base("classifier")
    {
        dense = nn.Linear(d, d);
        out_proj = nn.Linear(d, numLabels);
        dropout = nn.Dropout(dropoutProbability);
        using (torch.no_grad())
        {
            foreach (var l in new[] { dense, out_proj })
            {
                nn.init.normal_(l.weight!, 0, 0.02);
                nn.init.zeros_(l.bias!);
            }
        }
        RegisterComponents();
    }

    /// <summary>Logits [B, C] from the first-token states <paramref name="cls"/> [B, d].</summary>
    public override Tensor forward(Tensor cls)
    {
        using var scope = NewDisposeScope();
        return out_proj.forward(dropout.forward(torch.tanh(dense.forward(dropout.forward(cls))))).MoveToOuterDisposeScope();
    }
}

/// <summary>
/// Encoder + classification head, with at most one PEFT configuration applied (<see cref="ApplyPeft"/>) as an
/// <see cref="AdapterSet"/> passed into the encoder's forward. forward(input ids [B, T], token type ids [B, T],
/// attention mask [B, T]) → logits [B, C].
/// </summary>
public sealed class SequenceClassifier : Module<Tensor, Tensor, Tensor, Tensor>, IPeftModel
{
    private readonly BertEncoder bert;
    private readonly ClassificationHead classifier;
    private AdapterSet? peft;

    /// <summary>Wraps <paramref name="encoder"/> with a new head for <paramref name="numLabels"/> classes.</summary>
    /// <param name="encoder">The backbone.</param>
    /// <param name="numLabels">Number of classes C.</param>
    /// <param name="pooling">Which states the head reads.</param>
    public SequenceClassifier(BertEncoder encoder, int numLabels, ClassifierPooling pooling = ClassifierPooling.Cls) : base("classifier_model")
    {
        bert = encoder;
        Pooling = pooling;
        classifier = new ClassificationHead(encoder.Shape.HiddenSize, numLabels, encoder.Config.HiddenDropout);
        NumLabels = numLabels;
        RegisterComponents();
    }

    /// <summary>The backbone (its own forward is the plain pretrained encoder).</summary>
    public BertEncoder Encoder => bert;

    /// <summary>The task head.</summary>
    public ClassificationHead Head => classifier;

    /// <summary>Number of classes C.</summary>
    public int NumLabels { get; }

    /// <summary>Which states the head reads.</summary>
    public ClassifierPooling Pooling { get; }

    /// <summary>The applied adapter set, or null before <see cref="ApplyPeft"/>.</summary>
    public AdapterSet? Adapters => peft;

    /// <summary>
    /// Applies <paramref name="config"/>: builds its adapter set for the encoder, then freezes the encoder per the configuration's
    /// backbone policy (<see cref="BackbonePolicy"/>). Seed torch first for reproducible inits.
    /// </summary>
    /// <exception cref="InvalidOperationException">A configuration is already applied.</exception>
    /// <exception cref="ArgumentException">The configuration does not fit the model.</exception>
    public AdapterSet ApplyPeft(PeftConfig config)
    {
        if (peft is not null)
        {
            throw new InvalidOperationException($"a PEFT configuration ('{peft.Config.Spec}') is already applied");
        }
        peft = AdapterSet.Create(bert, config);
        BackbonePolicy.Apply(bert, config.Backbone);
        register_module("peft", peft);
        return peft;
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor inputIds, Tensor tokenTypeIds, Tensor attentionMask)
    {
        using var scope = NewDisposeScope();
        var h = Encode(inputIds, tokenTypeIds, attentionMask);
        if (Pooling == ClassifierPooling.Cls)
        {
            return classifier.forward(h[.., 0, ..]).MoveToOuterDisposeScope();
        }
        var mask = attentionMask.to(h.dtype).unsqueeze(-1);                       // [B, T, 1]
        var mean = (h * mask).sum(1) / mask.sum(1).clamp_min(1.0);               // [B, d]
        return classifier.forward(mean).MoveToOuterDisposeScope();
    }

    /// <summary>The encoder's last hidden state [B, T, d] with this model's adapters.</summary>
    public Tensor Encode(Tensor inputIds, Tensor tokenTypeIds, Tensor attentionMask) =>
        bert.forward(inputIds, tokenTypeIds, attentionMask, peft);

    /// <summary>
    /// Every parameter that trains, with its name and role: unfrozen backbone parameters (<c>base_model.model.{HF key}</c>,
    /// <see cref="ParameterRole.Backbone"/>), the adapter set's (peft naming, <see cref="ParameterRole.Adapter"/> or
    /// <see cref="ParameterRole.PrefixEncoder"/>), then the head (<c>classifier.*</c>, <see cref="ParameterRole.TaskHead"/>).
    /// Before <see cref="ApplyPeft"/> every backbone parameter counts.
    /// </summary>
    public IEnumerable<(string Name, Parameter Parameter, ParameterRole Role)> TrainableParameters()
    {
        foreach (var (name, p) in bert.PretrainedParameters().Where(p => p.Parameter.requires_grad))
        {
            yield return (AdapterSet.PeftPrefix + name, p, ParameterRole.Backbone);
        }
        if (peft is not null)
        {
            foreach (var named in peft.NamedPeftParameters())
            {
                yield return named;
            }
        }
        foreach (var (name, p) in classifier.named_parameters())
        {
            yield return ("classifier." + name, p, ParameterRole.TaskHead);
        }
    }

    /// <summary>The counted budget of the built model: trainable parameters except the task head's, against the pretrained total.</summary>
    public BudgetCounts CountedBudget()
    {
        var trainable = TrainableParameters().Where(p => p.Role != ParameterRole.TaskHead).Sum(p => p.Parameter.numel());
        var paper = peft?.Counts.PaperCount ?? bert.Shape.TotalParameters;
        return new BudgetCounts(paper, trainable, bert.PretrainedParameters().Sum(p => p.Parameter.numel()));
    }

    /// <summary>Folds mergeable updates (LoRA) into merged weight copies for inference (<see cref="AdapterSet.Merge"/>); no-op without adapters.</summary>
    public void MergeAdapters() => peft?.Merge(bert);

    /// <summary>Undoes <see cref="MergeAdapters"/>.</summary>
    public void UnmergeAdapters() => peft?.Unmerge();

    /// <summary>The trained parameters (what <c>--save-adapter</c> writes): <see cref="TrainableParameters"/> detached, on CPU.</summary>
    public Dictionary<string, Tensor> AdapterStateDict() =>
        TrainableParameters().ToDictionary(p => p.Name, p => p.Parameter.detach().cpu().clone());

    /// <summary>Loads trained parameters written by <see cref="AdapterStateDict"/> into this (identically configured) model.</summary>
    /// <exception cref="InvalidDataException">Missing, unexpected or mis-shaped keys; the message lists them.</exception>
    public void LoadAdapterStateDict(IReadOnlyDictionary<string, Tensor> state)
    {
        var targets = TrainableParameters().ToDictionary(p => p.Name, p => p.Parameter);
        Loading.StateDictCopier.Copy(targets, state, "adapter state");
    }
}
