using PeftGrid.Peft.Tuners.Prompt;
using TorchSharp;
using Xunit;

namespace PeftGrid.Peft.Tests.Tuners.Prompt;

public class PromptEmbeddingTests
{
    [Fact]
    public void ExtendPutsTheLPromptVectorsFirstAndKeepsTheInput()
    {
        torch.manual_seed(2);
        using var prompt = new PromptEmbedding("prompt", 3, 8);
        var e = torch.randn(2, 5, 8);
        var extended = prompt.Extend(e);
        Assert.Equal(new long[] { 2, 8, 8 }, extended.shape);
        Assert.True(TinyModels.MaxDiff(extended[.., 3.., ..], e) == 0);
        var p = prompt.named_parameters().Single();
        Assert.Equal("prompt_embeddings", p.name);
        Assert.True(TinyModels.MaxDiff(extended[0, ..3, ..], p.parameter) == 0);
        Assert.True(TinyModels.MaxDiff(extended[1, ..3, ..], p.parameter) == 0);
    }

    [Fact]
    public void TheEncoderStripsThePromptPositionsFromItsOutput()
    {
        using var model = TinyModels.Classifier("prompt[l=4]");
        var (ids, _, _) = TinyModels.Batch();
        Assert.Equal(new long[] { ids.shape[0], ids.shape[1], TinyModels.Shape.HiddenSize }, TinyModels.Hidden(model).shape);
        Assert.Equal(["base_model.model.prompt_encoder.prompt_embeddings"], model.Adapters!.NamedPeftParameters().Select(p => p.Name));
    }
}
