using PeftGrid.Models.Bert;
using PeftGrid.Peft.Budget;
using PeftGrid.Peft.Framework;
using PeftGrid.Tasks.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace PeftGrid.Tasks.Tests.Training;

public class OptimizerFactoryTests
{
    [Fact]
    public void Biases_and_layernorm_weights_get_no_decay()
    {
        torch.manual_seed(1);
        using var model = new ToyClassifier(50, 8, 2);
        var (decay, noDecay) = OptimizerFactory.Split(model.named_parameters());
        Assert.Equal(new[] { "embed.weight", "classifier.weight" }, decay.Select(p => p.Name));
        Assert.Equal(new[] { "LayerNorm.bias", "LayerNorm.weight", "classifier.bias" }, noDecay.Select(p => p.Name).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("pfeiffer[r=4]")]           // encoder.layer.{i}.output.adapter_after_norm.*: the name holds 'norm.'
    [InlineData("full")]                    // every backbone matrix, LayerNorm gains and biases included
    [InlineData("mam[l=4,r=4,s=2,mid=8]")]  // prefix encoder (embedding, MLP) and scaled parallel adapter
    public void Every_matrix_decays_and_every_vector_does_not_whatever_its_name(string spec)
    {
        torch.manual_seed(3);
        using var model = new SequenceClassifier(new BertEncoder(new EncoderConfig(new ModelShape("tiny", 32, 2, 4, 128, 100, 64, 2))), 2);
        if (spec != "full") model.ApplyPeft(PeftConfig.Parse(spec));
        var trainable = model.TrainableParameters().Select(p => (p.Name, p.Parameter)).ToList();
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
            var group = opt.ParamGroups.Cast<TorchSharp.Modules.AdamW.ParamGroup>().Single(g => g.Parameters.Any(p => p.Handle == adapter.Handle));
            Assert.Equal(0.1, group.Options.weight_decay!.Value, 12);
        }
    }

    [Fact]
    public void Decay_is_decoupled_and_skips_no_decay_group_and_frozen_parameters()
    {
        torch.manual_seed(1);
        using var model = new ToyClassifier(50, 8, 2);
        var named = model.named_parameters().ToList();
        var embed = named.Single(p => p.name == "embed.weight").parameter;
        embed.requires_grad = false; // frozen: no state, no change
        var before = named.ToDictionary(p => p.name, p => p.parameter.detach().clone());
        var options = new TrainerOptions { LearningRate = 0.5, WeightDecay = 0.1 };
        using var opt = OptimizerFactory.Create(named, options);
        Assert.Equal(2, opt.ParamGroups.Count());
        // Zero gradients: AdamW's update is then only the decoupled decay p ← p·(1 − lr·wd).
        foreach (var (_, p) in named.Where(p => p.parameter.requires_grad))
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
    public void Module_learning_rates_get_their_own_groups_and_match_whole_name_segments_only()
    {
        var options = new TrainerOptions { LearningRate = 1e-3, ModuleLearningRates = new Dictionary<string, double> { ["prefix_encoder"] = 1e-4 } };
        Assert.Equal(1e-4, OptimizerFactory.RateOf("base_model.model.prefix_encoder.control_trans_0.weight", options));
        Assert.Equal(1e-4, OptimizerFactory.RateOf("prefix_encoder.prefix", options));
        Assert.Equal(1e-3, OptimizerFactory.RateOf("base_model.model.my_prefix_encoder_x.weight", options));
        Assert.Equal(1e-3, OptimizerFactory.RateOf("classifier.dense.weight", options));

        torch.manual_seed(1);
        using var model = new ToyClassifier(50, 8, 2);
        var named = model.named_parameters().ToList();
        var byModule = new TrainerOptions { LearningRate = 0.5, WeightDecay = 0.1, ModuleLearningRates = new Dictionary<string, double> { ["classifier"] = 0.05 } };
        var before = named.ToDictionary(p => p.name, p => p.parameter.detach().clone());
        using var opt = OptimizerFactory.Create(named, byModule);
        // (decay, no-decay) × (0.5, 0.05): embed | LayerNorm | classifier.weight | classifier.bias
        Assert.Equal(new[] { 0.5, 0.5, 0.05, 0.05 }, opt.ParamGroups.Select(g => g.LearningRate));
        foreach (var (_, p) in named)
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
    public void No_trainable_parameters_is_an_error()
    {
        using var model = new ToyClassifier(10, 4, 2);
        foreach (var p in model.parameters()) p.requires_grad = false;
        Assert.Throws<ArgumentException>(() => OptimizerFactory.Create(model.named_parameters(), new TrainerOptions()));
    }
}
