using PeftGrid.Models.Bert;
using PeftGrid.Peft.Adapters;
using PeftGrid.Peft.Budget;
using PeftGrid.Peft.Framework;
using PeftGrid.Tasks.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PeftGrid.Tasks.Tests.Training;

public class OptimizerFactoryTests
{
    private static SequenceClassifier Tiny(string spec)
    {
        torch.manual_seed(3);
        var model = new SequenceClassifier(new BertEncoder(new EncoderConfig(new ModelShape("tiny", 32, 2, 4, 128, 100, 64, 2))), 2);
        model.ApplyPeft(PeftConfig.Parse(spec));
        return model;
    }

    [Fact]
    public void Biases_and_layernorm_weights_get_no_decay()
    {
        torch.manual_seed(1);
        using var model = new ToyClassifier(50, 8, 2);
        var (decay, noDecay) = OptimizerFactory.Split(model.Roles());
        Assert.Equal(new[] { "embed.weight", "classifier.weight" }, decay.Select(p => p.Name));
        Assert.Equal(new[] { "LayerNorm.bias", "LayerNorm.weight", "classifier.bias" }, noDecay.Select(p => p.Name).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("pfeiffer[r=4]")]           // encoder.layer.{i}.output.adapter_after_norm.*: the name holds 'norm.'
    [InlineData("full")]                    // every backbone matrix, LayerNorm gains and biases included
    [InlineData("mam[l=4,r=4,s=2,mid=8]")]  // prefix encoder (embedding, MLP) and scaled parallel adapter
    public void Every_matrix_decays_and_every_vector_does_not_whatever_its_name(string spec)
    {
        using var model = Tiny(spec);
        var trainable = model.TrainableParameters().ToList();
        var (decay, noDecay) = OptimizerFactory.Split(trainable);
        Assert.Equal(trainable.Count, decay.Count + noDecay.Count);
        Assert.All(decay, p => Assert.True(p.Parameter.dim() >= 2, $"{p.Name} has {p.Parameter.dim()} dims but decays"));
        Assert.All(noDecay, p => Assert.True(p.Parameter.dim() < 2, $"{p.Name} is {p.Parameter.dim()}-D but escapes decay"));
        if (spec.StartsWith("pfeiffer", StringComparison.Ordinal))
        {
            // 2 layers × (down [4, 32], up [32, 4]) adapter matrices, plus the head's two matrices.
            Assert.Equal(4, decay.Count(p => p.Name.Contains("adapter_after_norm", StringComparison.Ordinal)));
            Assert.Equal(6, decay.Count);
            // …and the optimizer puts them in a group with weight decay 0.1.
            using var opt = OptimizerFactory.Create(trainable, new TrainerOptions { WeightDecay = 0.1 });
            var adapter = trainable.First(p => p.Name.Contains("adapter_after_norm", StringComparison.Ordinal)).Parameter;
            var group = opt.ParamGroups.Cast<AdamW.ParamGroup>().Single(g => g.Parameters.Any(p => p.Handle == adapter.Handle));
            Assert.Equal(0.1, group.Options.weight_decay!.Value, 12);
        }
    }

    [Fact]
    public void Decay_is_decoupled_and_skips_no_decay_group_and_frozen_parameters()
    {
        torch.manual_seed(1);
        using var model = new ToyClassifier(50, 8, 2);
        var named = model.Roles();
        var embed = named.Single(p => p.Name == "embed.weight").Parameter;
        embed.requires_grad = false; // frozen: no state, no change
        var before = named.ToDictionary(p => p.Name, p => p.Parameter.detach().clone());
        var options = new TrainerOptions { LearningRate = 0.5, WeightDecay = 0.1 };
        using var opt = OptimizerFactory.Create(named, options);
        Assert.Equal(2, opt.ParamGroups.Count());
        // Zero gradients: AdamW's update is then only the decoupled decay p ← p·(1 − lr·wd).
        foreach (var (_, p, _) in named.Where(p => p.Parameter.requires_grad))
        {
            p.grad = torch.zeros_like(p);
        }
        opt.step();
        var after = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach());
        Assert.True(after["classifier.weight"].allclose(before["classifier.weight"] * (1 - 0.5 * 0.1), rtol: 1e-6, atol: 1e-7));
        Assert.True(after["classifier.bias"].eq(before["classifier.bias"]).all().item<bool>());
        Assert.True(after["LayerNorm.weight"].eq(before["LayerNorm.weight"]).all().item<bool>());
        Assert.True(after["embed.weight"].eq(before["embed.weight"]).all().item<bool>());
    }

    [Fact]
    public void Role_learning_rates_get_their_own_groups()
    {
        torch.manual_seed(1);
        using var model = new ToyClassifier(50, 8, 2);
        var named = model.Roles();
        var byRole = new TrainerOptions { LearningRate = 0.5, WeightDecay = 0.1, RoleLearningRates = new Dictionary<ParameterRole, double> { [ParameterRole.TaskHead] = 0.05 } };
        Assert.Equal(0.05, OptimizerFactory.RateOf(ParameterRole.TaskHead, byRole));
        Assert.Equal(0.5, OptimizerFactory.RateOf(ParameterRole.Backbone, byRole));
        var before = named.ToDictionary(p => p.Name, p => p.Parameter.detach().clone());
        using var opt = OptimizerFactory.Create(named, byRole);
        // (decay, no-decay) × (0.5, 0.05): embed | LayerNorm | classifier.weight | classifier.bias
        Assert.Equal(new[] { 0.5, 0.5, 0.05, 0.05 }, opt.ParamGroups.Select(g => g.LearningRate));
        foreach (var (_, p, _) in named)
        {
            p.grad = torch.zeros_like(p);
        }
        opt.step();
        var after = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach());
        // Decoupled decay uses each group's own rate: p ← p·(1 − lr·wd).
        Assert.True(after["embed.weight"].allclose(before["embed.weight"] * (1 - 0.5 * 0.1), rtol: 1e-6, atol: 1e-7));
        Assert.True(after["classifier.weight"].allclose(before["classifier.weight"] * (1 - 0.05 * 0.1), rtol: 1e-6, atol: 1e-7));
    }

    [Fact]
    public void The_rate_follows_the_role_never_the_name()
    {
        using var a = nn.Parameter(torch.zeros(2, 2));
        using var b = nn.Parameter(torch.zeros(2, 2));
        var options = new TrainerOptions { LearningRate = 1e-3, RoleLearningRates = LearningRateDefaults.RoleRates(1e-4) };
        // A name that looks like the prefix encoder's, on an adapter; a name that does not, on the prefix encoder.
        using var opt = OptimizerFactory.Create(
            [("base_model.model.prefix_encoder.control_trans_0.weight", a, ParameterRole.Adapter), ("x.weight", b, ParameterRole.PrefixEncoder)], options);
        var groups = opt.ParamGroups.Cast<AdamW.ParamGroup>().ToList();
        Assert.Equal(1e-3, groups.Single(g => g.Parameters.Any(p => p.Handle == a.Handle)).LearningRate, 15);
        Assert.Equal(1e-4, groups.Single(g => g.Parameters.Any(p => p.Handle == b.Handle)).LearningRate, 15);
    }

    public static IEnumerable<object[]> Presets => Peft.Specs.Presets.List.Select(p => new object[] { p.Name });

    /// <summary>Role-based groups are exactly the groups the name-based rule built before roles existed (a parameter under a
    /// <c>prefix_encoder</c> name segment at the prefix rate, the rest at the peak rate), for every preset: same parameters, same
    /// order, same rate, same decay — so training numerics are unchanged.</summary>
    [Theory]
    [MemberData(nameof(Presets))]
    public void Role_groups_equal_the_former_name_groups_for_every_preset(string preset)
    {
        using var model = Tiny(preset);
        var trainable = model.TrainableParameters().ToList();
        var options = new TrainerOptions { LearningRate = 1e-3, WeightDecay = 0.1, RoleLearningRates = LearningRateDefaults.RoleRates(1e-4) };
        using var opt = OptimizerFactory.Create(trainable, options);
        var actual = opt.ParamGroups.Cast<AdamW.ParamGroup>()
            .Select(g => (g.LearningRate, g.Options.weight_decay!.Value, Handles: g.Parameters.Select(p => p.Handle).ToList())).ToList();

        static bool UnderPrefixEncoder(string name) =>
            name.StartsWith("prefix_encoder.", StringComparison.Ordinal) || name.Contains(".prefix_encoder.", StringComparison.Ordinal);
        var rated = trainable.Select(p => (p.Parameter, Rate: UnderPrefixEncoder(p.Name) ? 1e-4 : 1e-3)).ToList();
        var decay = rated.Where(p => p.Parameter.dim() >= 2).ToLookup(p => p.Rate);
        var noDecay = rated.Where(p => p.Parameter.dim() < 2).ToLookup(p => p.Rate);
        var expected = new List<(double, double, List<IntPtr>)>();
        foreach (var rate in decay.Select(g => g.Key).Concat(noDecay.Select(g => g.Key)).Distinct())
        {
            if (decay.Contains(rate)) expected.Add((rate, 0.1, decay[rate].Select(p => p.Parameter.Handle).ToList()));
            if (noDecay.Contains(rate)) expected.Add((rate, 0.0, noDecay[rate].Select(p => p.Parameter.Handle).ToList()));
        }
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Item1, actual[i].LearningRate, 15);
            Assert.Equal(expected[i].Item2, actual[i].Item2, 15);
            Assert.Equal(expected[i].Item3, actual[i].Handles);
        }
        var prefixed = trainable.Count(p => p.Role == ParameterRole.PrefixEncoder);
        Assert.Equal(prefixed, trainable.Count(p => UnderPrefixEncoder(p.Name)));
    }

    [Fact]
    public void No_trainable_parameters_is_an_error()
    {
        using var model = new ToyClassifier(10, 4, 2);
        foreach (var p in model.parameters()) p.requires_grad = false;
        Assert.Throws<ArgumentException>(() => OptimizerFactory.Create(model.Roles(), new TrainerOptions()));
    }
}
