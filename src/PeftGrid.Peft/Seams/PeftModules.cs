using PeftGrid.Peft.Budget;
using PeftGrid.Peft.Framework;
using PeftGrid.Peft.Modules;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace PeftGrid.Peft.Seams;

/// <summary>
/// The Δh modules of one configuration attached to one backbone: owns (registers) every PEFT parameter, wires the
/// modules into the backbone's seams, and sets which pretrained parameters train (DESIGN.md §2). Parameter names follow
/// HF peft where peft has the method (<c>base_model.model.encoder.layer.0.attention.self.query.lora_A.weight</c>).
/// </summary>
public sealed class PeftModules : Module
{
    private readonly List<(string Path, Module Module)> attached = [];
    private readonly List<SeamLinear> loraTargets = [];

    /// <summary>The configuration.</summary>
    public PeftConfig Config { get; }

    /// <summary>The closed-form counts of <see cref="Config"/> on the backbone's shape.</summary>
    public BudgetCounts Counts { get; }

    /// <summary>Prefix used by peft for every injected parameter name.</summary>
    public const string PeftPrefix = "base_model.model.";

    private PeftModules(PeftConfig config, BudgetCounts counts) : base("peft")
    {
        Config = config;
        Counts = counts;
    }

    /// <summary>
    /// Builds the modules of <paramref name="config"/>, attaches them to <paramref name="backbone"/> and freezes the pretrained
    /// parameters the configuration does not train. Call after seeding torch for reproducible inits.
    /// </summary>
    /// <exception cref="ArgumentException">The configuration does not fit the backbone (e.g. r &gt; d).</exception>
    /// <exception cref="InvalidOperationException">The backbone already has modules attached at a seam.</exception>
    public static PeftModules Attach(IPeftBackbone backbone, PeftConfig config)
    {
        var shape = backbone.Shape;
        config.ValidateFor(shape);
        var peft = new PeftModules(config, ParameterBudget.Count(config, shape));
        foreach (var (name, parameter) in backbone.PretrainedParameters())
        {
            parameter.requires_grad = config.Backbone switch
            {
                BackboneTraining.All => true,
                BackboneTraining.Biases => name.EndsWith("bias", StringComparison.Ordinal),
                _ => false,
            };
        }
        foreach (var m in config.Modifications)
        {
            peft.Build(backbone, m);
        }
        return peft;
    }

    private void Build(IPeftBackbone backbone, Modification m)
    {
        var shape = backbone.Shape;
        var seams = backbone.Seams;
        switch (m.Representation)
        {
            case ModifiedRepresentation.InputEmbeddings:
                seams.Prompt = Add("prompt_encoder", new PromptEmbedding("prompt", m.Size, shape.HiddenSize));
                break;
            case ModifiedRepresentation.HeadAttention:
                seams.Prefix = Add("prefix_encoder", new PrefixEncoder("prefix", m.Size, shape.NumLayers, shape.HiddenSize, m.PrefixMidDim));
                seams.PrefixUse = (m.Form, m.Composition, m.Gate) switch
                {
                    (FunctionalForm.PrefixRelu, _, _) => PrefixUse.ReluAdd,
                    (_, CompositionFunction.Add, _) => PrefixUse.Add,
                    (_, _, PrefixGate.Explicit) => PrefixUse.Gated,
                    _ => PrefixUse.Concat,
                };
                break;
            case ModifiedRepresentation.AttentionWeights:
                AttachLora(backbone, m, Projection.Query, Projection.Value);
                break;
            case ModifiedRepresentation.FfnWeights:
                AttachLora(backbone, m, Projection.FfnIn, Projection.FfnOut);
                break;
            default:
                for (var i = 0; i < shape.NumLayers; i++)
                {
                    var layer = seams.Layers[i];
                    var (seam, path) = m.Representation switch
                    {
                        ModifiedRepresentation.Attention when m.Insertion == InsertionForm.Parallel => (layer.AttentionPreOutput, $"encoder.layer.{i}.attention.self.adapter"),
                        ModifiedRepresentation.Attention => (layer.AttentionPostOutput, $"encoder.layer.{i}.attention.output.adapter"),
                        ModifiedRepresentation.Ffn => (layer.FfnOutput, $"encoder.layer.{i}.output.adapter"),
                        ModifiedRepresentation.FfnAfterNorm => (layer.FfnAfterNorm, $"encoder.layer.{i}.output.adapter_after_norm"),
                        _ => throw new ArgumentOutOfRangeException(nameof(m), m.Representation, "unsupported representation"),
                    };
                    seam.Attach(Add(path, new BottleneckAdapter("adapter", shape.HiddenSize, m)));
                }
                break;
        }
    }

    private void AttachLora(IPeftBackbone backbone, Modification m, params Projection[] targets)
    {
        for (var i = 0; i < backbone.Shape.NumLayers; i++)
        {
            foreach (var target in targets)
            {
                var linear = backbone.GetProjection(i, target);
                var lora = Add(backbone.ProjectionPath(i, target), new LoraDelta("lora", linear.InFeatures, linear.OutFeatures, m.Size, m.LoraAlpha!.Value, m.Dropout));
                linear.Attach(lora);
                loraTargets.Add(linear);
            }
        }
    }

    private T Add<T>(string path, T module) where T : Module
    {
        register_module(path.Replace('.', '_'), module);
        attached.Add((path, module));
        return module;
    }

    /// <summary>Every PEFT parameter with its peft-style name (<c>base_model.model.{path}.{param}</c>), in attachment order.</summary>
    public IEnumerable<(string Name, Parameter Parameter)> NamedPeftParameters()
    {
        foreach (var (path, module) in attached)
        {
            foreach (var (name, parameter) in module.named_parameters())
            {
                yield return (PeftPrefix + path + "." + name, parameter);
            }
        }
    }

    /// <summary>Folds every LoRA update into its frozen weight (inference; forward output unchanged up to float rounding).</summary>
    public void MergeLora() => loraTargets.ForEach(l => l.Merge());

    /// <summary>Undoes <see cref="MergeLora"/>.</summary>
    public void UnmergeLora() => loraTargets.ForEach(l => l.Unmerge());
}
