using PeftGrid.Peft.Adapters;
using PeftGrid.Peft.Budget;
using PeftGrid.Peft.Framework;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace PeftGrid.Models.Seq2Seq;

/// <summary>
/// An encoder-decoder with at most one PEFT configuration applied (<see cref="ApplyPeft"/>) as an <see cref="AdapterSet"/> passed
/// into every encoder and decoder call. forward(input ids [B, S], attention mask [B, S], decoder input ids [B, T]) → teacher-forced
/// LM logits [B, T, vocab]. The LM head is the backbone's (tied to the word embeddings); there is no separate task head.
/// </summary>
public sealed class Seq2SeqModel : Module<Tensor, Tensor, Tensor, Tensor>, IPeftModel
{
    private readonly Module backbone;
    private AdapterSet? peft;

    /// <summary>Wraps <paramref name="backbone"/> (which must be a Module).</summary>
    /// <exception cref="ArgumentException">The backbone is not a TorchSharp module.</exception>
    public Seq2SeqModel(ISeq2SeqBackbone backbone) : base("seq2seq_model")
    {
        Backbone = backbone;
        this.backbone = backbone as Module ?? throw new ArgumentException("the backbone must be a TorchSharp Module", nameof(backbone));
        RegisterComponents();
    }

    /// <summary>The backbone.</summary>
    public ISeq2SeqBackbone Backbone { get; }

    /// <inheritdoc />
    public AdapterSet? Adapters => peft;

    /// <summary>
    /// Applies <paramref name="config"/>: builds its adapter set for the backbone (every attention type and FFN), then freezes the
    /// pretrained parameters per the configuration's backbone policy; new parts (<see cref="ISeq2SeqBackbone.NewParameters"/>) stay
    /// trainable. Seed torch first for reproducible inits.
    /// </summary>
    /// <exception cref="InvalidOperationException">A configuration is already applied.</exception>
    /// <exception cref="ArgumentException">The configuration does not fit the model.</exception>
    public AdapterSet ApplyPeft(PeftConfig config)
    {
        if (peft is not null)
        {
            throw new InvalidOperationException($"a PEFT configuration ('{peft.Config.Spec}') is already applied");
        }
        peft = AdapterSet.Create(Backbone, config);
        BackbonePolicy.Apply(Backbone, config.Backbone);
        register_module("peft", peft);
        return peft;
    }

    /// <summary>Teacher-forced logits [B, T, vocab] (see the class remarks).</summary>
    public override Tensor forward(Tensor inputIds, Tensor attentionMask, Tensor decoderInputIds)
    {
        using var memory = Encode(inputIds, attentionMask);
        return Backbone.Decode(decoderInputIds, memory, peft);
    }

    /// <summary>The encoder's memory with this model's adapters (see <see cref="ISeq2SeqBackbone.Encode"/>).</summary>
    public EncoderMemory Encode(Tensor inputIds, Tensor attentionMask) => Backbone.Encode(inputIds, attentionMask, peft);

    /// <summary>The decoder's logits with this model's adapters (see <see cref="ISeq2SeqBackbone.Decode"/>).</summary>
    public Tensor Decode(Tensor decoderInputIds, EncoderMemory memory, KvCache? cache = null) =>
        Backbone.Decode(decoderInputIds, memory, peft, cache);

    /// <summary>
    /// Every parameter that trains, with its name and role: unfrozen pretrained parameters (<c>base_model.model.{HF key}</c>,
    /// <see cref="ParameterRole.Backbone"/>), the adapter set's (peft naming), then the new parts (<c>{key}</c>,
    /// <see cref="ParameterRole.WarmStart"/>). Before <see cref="ApplyPeft"/> every pretrained parameter counts.
    /// </summary>
    public IEnumerable<(string Name, Parameter Parameter, ParameterRole Role)> TrainableParameters()
    {
        foreach (var (name, p) in Backbone.PretrainedParameters().Where(p => p.Parameter.requires_grad))
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
        foreach (var (name, p) in Backbone.NewParameters())
        {
            yield return (name, p, ParameterRole.WarmStart);
        }
    }

    /// <summary>The counted budget: trainable parameters except the new parts (<see cref="ParameterRole.WarmStart"/>), against the
    /// counted pretrained total; the paper count is the adapter set's (or the total before <see cref="ApplyPeft"/>).</summary>
    public BudgetCounts CountedBudget()
    {
        var trainable = TrainableParameters().Where(p => p.Role != ParameterRole.WarmStart).Sum(p => p.Parameter.numel());
        var paper = peft?.Counts.PaperCount ?? Backbone.Shape.TotalParameters;
        return new BudgetCounts(paper, trainable, Backbone.PretrainedParameters().Sum(p => p.Parameter.numel()))
        {
            PaperMappedTotal = Backbone.Shape.PaperMappedTotal,
        };
    }

    /// <summary>The new parts' parameter count (<see cref="ParameterRole.WarmStart"/>), reported apart from the budget.</summary>
    public long NewParameterCount() => Backbone.NewParameters().Sum(p => p.Parameter.numel());

    /// <summary>Folds mergeable updates (LoRA) into merged weight copies for inference; no-op without adapters.</summary>
    public void MergeAdapters() => peft?.Merge(Backbone);

    /// <summary>Undoes <see cref="MergeAdapters"/>.</summary>
    public void UnmergeAdapters() => peft?.Unmerge();

    /// <inheritdoc />
    public Dictionary<string, Tensor> AdapterStateDict() =>
        TrainableParameters().ToDictionary(p => p.Name, p => p.Parameter.detach().cpu().clone());

    /// <inheritdoc />
    public void LoadAdapterStateDict(IReadOnlyDictionary<string, Tensor> state) =>
        Loading.StateDictCopier.Copy(TrainableParameters().ToDictionary(p => p.Name, p => p.Parameter), state, "adapter state");
}
