using PeftGrid.Peft.Adapters;
using TorchSharp.Modules;

namespace PeftGrid.Tasks.Training;

/// <summary>
/// Builds AdamW (decoupled weight decay, TorchSharp <c>torch.optim.AdamW</c>) over the trainable parameters, grouped by
/// what each parameter is and its tensor rank, never by its name. The peak learning rate comes from the parameter's
/// <see cref="ParameterRole"/> (<see cref="TrainerOptions.RoleLearningRates"/>, else <see cref="TrainerOptions.LearningRate"/>);
/// weight decay from the rank: every matrix or higher-rank tensor (weights, embeddings, prefixes, prompts) decays, every
/// vector or scalar (biases, LayerNorm gains, learned scales) does not — the BERT/Hugging Face convention (no decay on
/// <c>bias</c> and <c>LayerNorm.weight</c>) stated without depending on names. Frozen parameters are never handed to the
/// optimizer, so they get no optimizer state.
/// </summary>
public static class OptimizerFactory
{
    /// <summary>True when <paramref name="parameter"/> is exempt from weight decay: fewer than 2 dimensions
    /// (biases, LayerNorm gains and scalars), whatever its module is called.</summary>
    public static bool IsNoDecay(Parameter parameter) => parameter.dim() < 2;

    /// <summary>Splits parameters into (decay, no-decay) lists by rank (<see cref="IsNoDecay"/>), keeping order; skips frozen ones.</summary>
    public static (List<(string Name, Parameter Parameter, ParameterRole Role)> Decay, List<(string Name, Parameter Parameter, ParameterRole Role)> NoDecay) Split(
        IEnumerable<(string Name, Parameter Parameter, ParameterRole Role)> parameters)
    {
        var decay = new List<(string, Parameter, ParameterRole)>();
        var noDecay = new List<(string, Parameter, ParameterRole)>();
        foreach (var p in parameters)
        {
            if (!p.Parameter.requires_grad) continue;
            (IsNoDecay(p.Parameter) ? noDecay : decay).Add(p);
        }
        return (decay, noDecay);
    }

    /// <summary>The peak learning rate of a parameter with <paramref name="role"/>: its entry in
    /// <see cref="TrainerOptions.RoleLearningRates"/>, else <see cref="TrainerOptions.LearningRate"/>.</summary>
    public static double RateOf(ParameterRole role, TrainerOptions options) =>
        options.RoleLearningRates.TryGetValue(role, out var rate) ? rate : options.LearningRate;

    /// <summary>
    /// Creates AdamW with a (decay, no-decay) pair of groups per distinct peak learning rate (<see cref="RateOf"/>), in order of
    /// first appearance (decay parameters first); each group keeps its parameters in the given order. Roles sharing a rate share
    /// the groups.
    /// </summary>
    /// <param name="parameters">Trainable parameters with their names and roles (<c>SequenceClassifier.TrainableParameters()</c>).</param>
    /// <param name="options">Learning rates, betas, ε and weight decay.</param>
    /// <exception cref="ArgumentException">No trainable parameters.</exception>
    public static AdamW Create(IEnumerable<(string Name, Parameter Parameter, ParameterRole Role)> parameters, TrainerOptions options)
    {
        var (decay, noDecay) = Split(parameters);
        if (decay.Count + noDecay.Count == 0) throw new ArgumentException("the model has no trainable parameters");
        var groups = new List<AdamW.ParamGroup>();
        var decayByRate = decay.ToLookup(p => RateOf(p.Role, options));
        var noDecayByRate = noDecay.ToLookup(p => RateOf(p.Role, options));
        foreach (var rate in decayByRate.Select(g => g.Key).Concat(noDecayByRate.Select(g => g.Key)).Distinct())
        {
            if (decayByRate.Contains(rate)) groups.Add(Group(decayByRate[rate], options, rate, options.WeightDecay));
            if (noDecayByRate.Contains(rate)) groups.Add(Group(noDecayByRate[rate], options, rate, 0.0));
        }
        return TorchSharp.torch.optim.AdamW(groups, options.LearningRate, options.Beta1, options.Beta2, options.Epsilon, options.WeightDecay);
    }

    private static AdamW.ParamGroup Group(IEnumerable<(string Name, Parameter Parameter, ParameterRole Role)> parameters, TrainerOptions o, double rate, double weightDecay) =>
        new(parameters.Select(p => p.Parameter).ToList(),
            new AdamW.Options { LearningRate = rate, beta1 = o.Beta1, beta2 = o.Beta2, eps = o.Epsilon, weight_decay = weightDecay, amsgrad = false, maximize = false });
}
