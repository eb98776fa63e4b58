using PeftGrid.Models;
using PeftGrid.Models.Bert;
using PeftGrid.Peft.Catalog;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace PeftGrid.Models.Tests.Bert;

public class SequenceClassifierPoolingTests
{
    private static readonly PeftGrid.Peft.Budget.ModelShape Tiny = new("tiny", 32, 2, 4, 128, 100, 64, 2);

    [Fact]
    public void MeanPoolingAveragesRealTokensOnlySoPaddingDoesNotChangeTheLogits()
    {
        torch.manual_seed(3);
        using var model = new SequenceClassifier(new BertEncoder(new EncoderConfig(Tiny)), 3, ClassifierPooling.Mean);
        model.eval();
        using var _ = torch.no_grad();
        var ids = torch.tensor(new long[] { 2, 17, 40, 9, 3 }, 1, 5);
        var padded = torch.tensor(new long[] { 2, 17, 40, 9, 3, 0, 0, 0 }, 1, 8);
        var mask = torch.tensor(new long[] { 1, 1, 1, 1, 1, 0, 0, 0 }, 1, 8);
        var a = model.forward(ids, torch.zeros_like(ids), torch.ones_like(ids));
        var b = model.forward(padded, torch.zeros_like(padded), mask);
        Assert.True((a - b).abs().max().item<float>() <= 1e-5);

        // The mean differs from the [CLS] read-out of an identically initialised model.
        torch.manual_seed(3);
        using var cls = new SequenceClassifier(new BertEncoder(new EncoderConfig(Tiny)), 3, ClassifierPooling.Cls);
        cls.eval();
        Assert.True((a - cls.forward(ids, torch.zeros_like(ids), torch.ones_like(ids))).abs().max().item<float>() > 1e-6);
    }

    [Fact]
    public void MiniLmDefaultsToTheMeanPoolingItWasPretrainedWith()
    {
        Assert.Equal(ClassifierPooling.Mean, ModelLoader.DefaultPooling("minilm"));
        Assert.Equal(ClassifierPooling.Cls, ModelLoader.DefaultPooling("roberta-base"));
    }
}
