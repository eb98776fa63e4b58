using System.Diagnostics;
using PeftGrid.Models.Bert;
using PeftGrid.Models.Bert2Bert;
using PeftGrid.Models.Seq2Seq;
using PeftGrid.Peft.Adapters;
using PeftGrid.Peft.Budget;
using PeftGrid.Peft.Catalog;
using PeftGrid.Peft.Framework;
using PeftGrid.Peft.Specs;
using TorchSharp;
using Xunit;
using Xunit.Abstractions;

namespace PeftGrid.Peft.Tests.EncoderDecoder;

public class MiniLm2MiniLmBudgetTests(ITestOutputHelper output)
{
    public static TheoryData<string> AllPresets => new(Presets.List.Select(p => p.Name));

    // A fresh (random, weightless) minilm2minilm per preset: counting needs the architecture, not the checkpoint.
    [Theory]
    [MemberData(nameof(AllPresets))]
    public void ClosedFormEqualsTheBuiltModelsCount(string preset)
    {
        var watch = Stopwatch.StartNew();
        var shape = ModelCatalog.MiniLm2MiniLm.Shape;
        torch.manual_seed(1);
        using var model = new Seq2SeqModel(new MiniLm2MiniLm(EncoderConfig.For(ModelCatalog.MiniLm2MiniLm)));
        var config = PeftConfig.Parse(preset);
        model.ApplyPeft(config);
        var closed = ParameterBudget.Count(config, shape);
        var counted = model.CountedBudget();
        Assert.Equal(closed.TrainableCount, counted.TrainableCount);
        Assert.Equal(closed.PaperCount, counted.PaperCount);
        Assert.Equal(shape.TotalParameters, counted.TotalCount);
        Assert.Equal(shape.PaperMappedTotal, counted.PaperMappedTotal);
        Assert.Equal(3_583_290L, model.NewParameterCount());
        var roles = model.TrainableParameters().ToList();
        Assert.Equal(3_583_290L, roles.Where(p => p.Role == ParameterRole.WarmStart).Sum(p => p.Parameter.numel()));
        Assert.All(roles.Where(p => p.Role == ParameterRole.WarmStart), p => Assert.True(p.Parameter.requires_grad, p.Name));
        output.WriteLine($"{preset}: trainable {counted.TrainableCount:N0}, paper {counted.PaperCount:N0} ({watch.ElapsedMilliseconds} ms)");
    }
}
