using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PeftGrid.Tasks.Training;

/// <summary>
/// Builds AdamW (decoupled weight decay, TorchSharp <c>torch.optim.AdamW</c>) over the trainable
/// parameters in two groups by tensor rank: every matrix or higher-rank tensor (weights, embeddings, prefixes,
/// prompts) decays, every vector or scalar (biases, LayerNorm gains, learned scales) does not — the BERT/Hugging
/// Face convention (no decay on <c>bias</c> and <c>LayerNorm.weight</c>) stated without depending on names.
/// Frozen parameters are never handed to the optimizer, so they get no optimizer state.
/// </summary>
public static class OptimizerFactory
{
    /// <summary>True when <paramref name="parameter"/> is exempt from weight decay: fewer than 2 dimensions
    /// (biases, LayerNorm gains and scalars), whatever its module is called.</summary>
    public static bool IsNoDecay(Parameter parameter) => parameter.dim() < 2;

    /// <summary>Splits named parameters into (decay, no-decay) lists, keeping order; skips frozen ones.</summary>
    public static (List<(string Name, Parameter Parameter)> Decay, List<(string Name, Parameter Parameter)> NoDecay) Split(
        IEnumerable<(string Name, Parameter Parameter)> parameters)
    {
        var decay = new List<(string, Parameter)>();
        var noDecay = new List<(string, Parameter)>();
        foreach (var (name, p) in parameters)
        {
            if (!p.requires_grad) continue;
            (IsNoDecay(p) ? noDecay : decay).Add((name, p));
        }
        return (decay, noDecay);
    }

    /// <summary>The peak learning rate of <paramref name="name"/>: the rate of the first
    /// <see cref="TrainerOptions.ModuleLearningRates"/> module whose name is a dot-separated segment of it, else
    /// <see cref="TrainerOptions.LearningRate"/>.</summary>
    public static double RateOf(string name, TrainerOptions options)
    {
        foreach (var (module, rate) in options.ModuleLearningRates)
        {
            if (IsIn(name, module)) return rate;
        }
        return options.LearningRate;
    }

    /// <summary>True when the parameter <paramref name="name"/> lives under a module named <paramref name="module"/>
    /// (a whole dot-separated segment: <c>prefix_encoder</c> matches <c>a.prefix_encoder.w</c>, not <c>a.my_prefix_encoder.w</c>).</summary>
    public static bool IsIn(string name, string module) =>
        name.StartsWith(module + ".", StringComparison.Ordinal) || name.Contains("." + module + ".", StringComparison.Ordinal);

    /// <summary>Creates AdamW with a (decay, no-decay) pair of groups per peak learning rate (<see cref="RateOf"/>).</summary>
    /// <param name="parameters">Named trainable parameters.</param>
    /// <param name="options">Learning rates, betas, ε and weight decay.</param>
    /// <exception cref="ArgumentException">No trainable parameters.</exception>
    public static AdamW Create(IEnumerable<(string Name, Parameter Parameter)> parameters, TrainerOptions options)
    {
        var (decay, noDecay) = Split(parameters);
        if (decay.Count + noDecay.Count == 0) throw new ArgumentException("the model has no trainable parameters");
        var groups = new List<AdamW.ParamGroup>();
        var decayByRate = decay.ToLookup(p => RateOf(p.Name, options));
        var noDecayByRate = noDecay.ToLookup(p => RateOf(p.Name, options));
        foreach (var rate in decayByRate.Select(g => g.Key).Concat(noDecayByRate.Select(g => g.Key)).Distinct())
        {
            if (decayByRate.Contains(rate)) groups.Add(Group(decayByRate[rate], options, rate, options.WeightDecay));
            if (noDecayByRate.Contains(rate)) groups.Add(Group(noDecayByRate[rate], options, rate, 0.0));
        }
        return TorchSharp.torch.optim.AdamW(groups, options.LearningRate, options.Beta1, options.Beta2, options.Epsilon, options.WeightDecay);
    }

    private static AdamW.ParamGroup Group(IEnumerable<(string Name, Parameter Parameter)> parameters, TrainerOptions o, double rate, double weightDecay) =>
        new(parameters.Select(p => p.Parameter).ToList(),
            new AdamW.Options { LearningRate = rate, beta1 = o.Beta1, beta2 = o.Beta2, eps = o.Epsilon, weight_decay = weightDecay, amsgrad = false, maximize = false });
}
