using PeftGrid.Peft.Budget;
using PeftGrid.Peft.Catalog;
using Xunit;

namespace PeftGrid.Models.Tests.Bert2Bert;

public class ModelLoaderSeq2SeqTests
{
    [Fact]
    public void ShapeReturnsTheCatalogShapeOfAnEncoderDecoder()
    {
        Assert.Equal(ModelCatalog.MiniLm2MiniLm.Shape, ModelLoader.Shape("minilm2minilm"));
        Assert.Equal(ModelCatalog.BartLarge.Shape, ModelLoader.Shape("bart-large"));
        Assert.Equal(ModelCatalog.MiniLm2MiniLm.Shape, ModelLoader.Seq2SeqShape("minilm2minilm"));
        Assert.Equal(ModelCatalog.MiniLM.Shape, ModelLoader.Shape("minilm"));
        Assert.Equal(45_130_752L, ModelLoader.Shape("minilm2minilm").TotalParameters);
    }

    [Theory]
    [InlineData("minilm2minilm")]
    [InlineData("bart-large")]
    public void AnEncoderDecoderWhereAnEncoderIsNeededFailsClearly(string model)
    {
        var ex = Assert.Throws<ArgumentException>(() => ModelLoader.LoadEncoder(model));
        Assert.StartsWith($"model '{model}' is an encoder-decoder; use it for seq2seq tasks (an encoder is needed here); encoders: minilm, bert-base-uncased, roberta-base", ex.Message);
        Assert.Throws<ArgumentException>(() => ModelLoader.LoadClassifier(model, 2));
        Assert.Throws<ArgumentException>(() => ModelLoader.Config(model));
    }

    [Theory]
    [InlineData("minilm")]
    [InlineData("roberta-base")]
    public void AnEncoderWhereAnEncoderDecoderIsNeededFailsClearly(string model)
    {
        var ex = Assert.Throws<ArgumentException>(() => ModelLoader.LoadSeq2Seq(model));
        Assert.StartsWith($"model '{model}' is an encoder; an encoder-decoder is needed: minilm2minilm, bart-base, bart-large, mbart-large-cc25", ex.Message);
        Assert.Throws<ArgumentException>(() => ModelLoader.Seq2SeqShape(model));
    }

    [Fact]
    public void UnavailableWeightsUnknownModelsAndCheckpointFoldersFailClearly()
    {
        Assert.Contains("pretrained weights for 'bart-large' are not on this machine", Assert.Throws<ArgumentException>(() => ModelLoader.LoadSeq2Seq("bart-large")).Message);
        Assert.StartsWith("unknown model 'nope'", Assert.Throws<ArgumentException>(() => ModelLoader.LoadSeq2Seq("nope")).Message);
        var folder = Directory.CreateTempSubdirectory("peftgrid-encdec-").FullName;
        try
        {
            Assert.Throws<FileNotFoundException>(() => ModelLoader.LoadSeq2Seq(folder));
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }

    [Fact]
    public void CheckpointFoldersGoToTheLoaderOfTheirFamilyAndTheOtherOneRefusesThem()
    {
        using var source = PeftGrid.Models.Tests.Bart.TinyBartFiles.Model(ModelLayout.Bart);
        var folder = PeftGrid.Models.Tests.Bart.TinyBartFiles.Write(source);
        try
        {
            using var loaded = ModelLoader.LoadSeq2Seq(folder, dropout: 0.0);
            Assert.IsType<PeftGrid.Models.Bart.BartModel>(loaded);
            Assert.Equal(source.Shape with { Name = loaded.Shape.Name }, loaded.Shape);
            Assert.Equal(loaded.Shape, ModelLoader.Shape(folder));
            Assert.Equal(loaded.Shape, ModelLoader.Seq2SeqShape(folder));
            Assert.Contains("model_type 'bart' is not supported", Assert.ThrowsAny<Exception>(() => ModelLoader.LoadEncoder(folder)).Message);
        }
        finally
        {
            Directory.Delete(folder, true);
        }
        Assert.Contains("model_type 'bert' is not an encoder-decoder",
            Assert.ThrowsAny<Exception>(() => ModelLoader.LoadSeq2Seq(TestPaths.TinyBert)).Message);
    }

    [Fact]
    public void LoadSeq2SeqBuildsMiniLm2MiniLm()
    {
        using var model = ModelLoader.LoadSeq2Seq("minilm2minilm", dropout: 0.0);
        Assert.IsType<PeftGrid.Models.Bert2Bert.MiniLm2MiniLm>(model);
        Assert.Equal(ModelCatalog.MiniLm2MiniLm.Shape, model.Shape);
        Assert.Equal(0.0, ((PeftGrid.Models.Bert2Bert.MiniLm2MiniLm)model).Config.HiddenDropout);
    }
}
