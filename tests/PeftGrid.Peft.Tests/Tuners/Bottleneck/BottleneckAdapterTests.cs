using PeftGrid.Peft.Framework;
using PeftGrid.Peft.Specs;
using PeftGrid.Peft.Tuners.Bottleneck;
using TorchSharp;
using Xunit;

namespace PeftGrid.Peft.Tests.Tuners.Bottleneck;

public class BottleneckAdapterTests
{
    private const double Tolerance = 1e-5;

    private static BottleneckAdapter Adapter(Modification m) => new("a", 16, BottleneckOptions.From(m));

    [Fact]
    public void SequentialReadsHAndParallelReadsX()
    {
        torch.manual_seed(5);
        var x = torch.randn(2, 3, 16);
        var h = torch.randn(2, 3, 16);
        var seq = Adapter(Modifications.Adapter("sa", ModifiedRepresentation.Ffn, InsertionForm.Sequential, 4, layerNorm: false));
        var par = Adapter(Modifications.Adapter("pa", ModifiedRepresentation.Ffn, InsertionForm.Parallel, 4, layerNorm: false));
        par.load_state_dict(seq.state_dict());
        seq.eval(); par.eval();
        Assert.True(TinyModels.MaxDiff(seq.Delta(x, h), seq.forward(h)) == 0);
        Assert.True(TinyModels.MaxDiff(par.Delta(x, h), par.forward(x)) == 0);
        Assert.True(TinyModels.MaxDiff(seq.Delta(x, h), par.Delta(x, h)) > 1e-3);
    }

    [Fact]
    public void ScaledAddMultipliesTheWholeAdapterOutputIncludingTheUpBias()
    {
        torch.manual_seed(6);
        var x = torch.randn(2, 3, 16);
        var h = torch.randn(2, 3, 16);
        var one = Adapter(Modifications.ScaledParallel("pa", 4, (1.0, false)));
        var three = Adapter(Modifications.ScaledParallel("pa", 4, (3.0, false)));
        using (torch.no_grad())
        {
            foreach (var p in one.parameters()) { p.normal_(0, 0.3); }
        }
        three.load_state_dict(one.state_dict());
        one.eval(); three.eval();
        Assert.True(TinyModels.MaxDiff(three.Delta(x, h), 3 * one.Delta(x, h)) <= Tolerance);
        Assert.True(TinyModels.MaxDiff(one.Delta(x, h), torch.zeros_like(h)) > 1e-3);
    }

    [Theory]
    [InlineData("pa-attn[r=3]", "attention.self.adapter")]
    [InlineData("sa-attn[r=3]", "attention.output.adapter")]
    [InlineData("pa-ffn[r=3]", "output.adapter")]
    [InlineData("pfeiffer[r=3]", "output.adapter_after_norm")]
    public void EachPositionKeepsItsPeftName(string spec, string path)
    {
        using var model = TinyModels.Classifier(spec);
        var names = model.Adapters!.NamedPeftParameters().Select(p => p.Name).ToList();
        Assert.Contains($"base_model.model.encoder.layer.0.{path}.down_proj.weight", names);
        Assert.Contains($"base_model.model.encoder.layer.1.{path}.up_proj.bias", names);
        Assert.Equal(2 * 4, names.Count(n => n.Contains("_proj.")));
    }
}
