using PeftGrid.Peft.Budget;
using PeftGrid.Peft.Framework;
using PeftGrid.Peft.Seams;
using PeftGrid.Peft.Tuners;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace PeftGrid.Peft.Adapters;

/// <summary>
/// The Δh modules of one configuration, keyed by the backbone sites they attach to (DESIGN.md §2). A Module: it owns and
/// registers every PEFT parameter, so <c>to(device)</c>, <c>train()</c> and <c>parameters()</c> reach them. The set is data
/// handed to the backbone's forward (<c>encoder.forward(ids, types, mask, adapters)</c>); the backbone keeps no PEFT state,
/// so several sets can share one frozen backbone. Parameter names follow HF peft
/// (<c>base_model.model.encoder.layer.0.attention.self.query.lora_A.weight</c>).
/// </summary>
public sealed class AdapterSet : Module
{
    private readonly List<(string Name, Module Module, ParameterRole Role)> registered = [];
    private readonly Dictionary<SeamSite, object> bySite = [];

    /// <summary>Prefix peft puts before every injected parameter name.</summary>
    public const string PeftPrefix = "base_model.model.";

    /// <summary>The configuration.</summary>
    public PeftConfig Config { get; }

    /// <summary>The closed-form counts of <see cref="Config"/> on the backbone's shape.</summary>
    public BudgetCounts Counts { get; }

    private AdapterSet(PeftConfig config, BudgetCounts counts) : base("peft")
    {
        Config = config;
        Counts = counts;
    }

    /// <summary>
    /// Builds the modules of <paramref name="config"/> for <paramref name="backbone"/>: each modification goes to its tuner
    /// (<see cref="TunerRegistry"/>), which creates modules for its sites. Does not touch the backbone (freezing is
    /// <see cref="BackbonePolicy.Apply"/>). Seed torch first for reproducible inits.
    /// </summary>
    /// <exception cref="ArgumentException">The configuration does not fit the backbone (e.g. r &gt; d, no matching site) or has no tuner.</exception>
    public static AdapterSet Create(IPeftBackbone backbone, PeftConfig config)
    {
        config.ValidateFor(backbone.Shape);
        var set = new AdapterSet(config, ParameterBudget.Count(config, backbone.Shape));
        foreach (var m in config.Modifications)
        {
            TunerRegistry.For(m).Attach(set, backbone, m);
        }
        return set;
    }

    /// <summary>The sites that have a module, in attachment order.</summary>
    public IEnumerable<SeamSite> Sites => bySite.Keys;

    /// <summary>Registers <paramref name="module"/>'s parameters under the peft name <c>base_model.model.{name}</c> with <paramref name="role"/>.</summary>
    /// <exception cref="InvalidOperationException">The name is taken.</exception>
    public T Register<T>(string name, T module, ParameterRole role) where T : Module
    {
        if (registered.Any(m => m.Name == name))
        {
            throw new InvalidOperationException($"a module named '{name}' is already in the adapter set");
        }
        register_module(name.Replace('.', '_'), module);
        registered.Add((name, module, role));
        return module;
    }

    /// <summary>Makes <paramref name="handler"/> what the backbone consults at <paramref name="site"/>.</summary>
    /// <exception cref="ArgumentException">The handler does not implement the site's <see cref="SeamSite.Contract"/>.</exception>
    /// <exception cref="InvalidOperationException">The site already has one.</exception>
    public void Bind(SeamSite site, object handler)
    {
        if (!site.Contract.IsInstanceOfType(handler))
        {
            throw new ArgumentException($"{site}: a {handler.GetType().Name} does not implement {site.Contract.Name}", nameof(handler));
        }
        if (!bySite.TryAdd(site, handler))
        {
            throw new InvalidOperationException($"{site}: a module is already attached at this site");
        }
    }

    /// <summary><see cref="Register"/> then <see cref="Bind"/>: one module for one site.</summary>
    public T Attach<T>(SeamSite site, string name, T module, ParameterRole role = ParameterRole.Adapter) where T : Module
    {
        Bind(site, module);
        return Register(name, module, role);
    }

    /// <summary>The handler at <paramref name="site"/> as <typeparamref name="T"/>, or null when the site has none.</summary>
    /// <exception cref="InvalidOperationException">The site's handler is not a <typeparamref name="T"/> (a backbone/site mismatch).</exception>
    public T? At<T>(SeamSite site) where T : class
    {
        if (!bySite.TryGetValue(site, out var handler)) { return null; }
        return handler as T ?? throw new InvalidOperationException($"{site}: holds a {handler.GetType().Name}, not a {typeof(T).Name}");
    }

    /// <summary>Every PEFT parameter with its peft-style name (<c>base_model.model.{path}.{param}</c>) and role, in attachment order.</summary>
    public IEnumerable<(string Name, Parameter Parameter, ParameterRole Role)> NamedPeftParameters()
    {
        foreach (var (path, module, role) in registered)
        {
            foreach (var (name, parameter) in module.named_parameters())
            {
                yield return (PeftPrefix + path + "." + name, parameter, role);
            }
        }
    }

    /// <summary>
    /// Folds every mergeable update (LoRA: W + s·B·A) into a merged copy of its projection's weight, read from
    /// <paramref name="backbone"/>; forward then does one matmul per projection, output unchanged up to float rounding. The
    /// backbone's weights are never written, so merging is safe while other sets share the backbone; the copies cost one
    /// weight per merged projection and are a snapshot (merge after moving to the device; unmerge before training again).
    /// </summary>
    public void Merge(IPeftBackbone backbone)
    {
        foreach (var (site, handler) in bySite)
        {
            if (handler is IMergeable m) { m.Merge(backbone.Projection(site).Weight); }
        }
    }

    /// <summary>Undoes <see cref="Merge"/>.</summary>
    public void Unmerge()
    {
        foreach (var m in bySite.Values.OfType<IMergeable>()) { m.Unmerge(); }
    }
}
