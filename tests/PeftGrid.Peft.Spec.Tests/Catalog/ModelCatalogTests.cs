using PeftGrid.Peft.Budget;
using PeftGrid.Peft.Catalog;
using Xunit;

namespace PeftGrid.Peft.Spec.Tests.Catalog;

public class ModelCatalogTests
{
    [Theory]
    // name, d, L, heads, d_m, vocab, positions, types, parameters (embeddings + layers; pooler and head excluded)
    [InlineData("minilm", 384, 6, 12, 1536, 30522, 512, 2, 22_565_376L)]
    [InlineData("bert-base-uncased", 768, 12, 12, 3072, 30522, 512, 2, 108_891_648L)]
    [InlineData("roberta-base", 768, 12, 12, 3072, 50265, 514, 1, 124_055_040L)]
    public void Shapes_and_parameter_counts_are_exact(string name, int d, int layers, int heads, int dm, int vocab, int positions, int types, long total)
    {
        var shape = ModelCatalog.Find(name).Shape;
        Assert.Equal(new ModelShape(name, d, layers, heads, dm, vocab, positions, types), shape);
        Assert.Equal(total, shape.TotalParameters);
        Assert.Same(shape, shape.Validate());
    }

    [Theory]
    [InlineData("minilm", "bert", 0, 512, WeightsSource.BundledOnnx, TokenizerKind.WordPieceUncased, ClassifierPooling.Mean)]
    [InlineData("bert-base-uncased", "bert", 0, 512, WeightsSource.HfCheckpoint, TokenizerKind.WordPieceUncased, ClassifierPooling.Cls)]
    [InlineData("roberta-base", "roberta", 2, 512, WeightsSource.HfCheckpoint, TokenizerKind.ByteLevelBpe, ClassifierPooling.Cls)]
    public void Each_model_says_how_to_load_tokenize_and_pool_it(string name, string architecture, int offset, int maxLength,
        WeightsSource weights, TokenizerKind tokenizer, ClassifierPooling pooling)
    {
        var m = ModelCatalog.Find(name);
        Assert.Equal((architecture, offset, maxLength), (m.Architecture, m.PositionOffset, m.MaxSequenceLength));
        Assert.Equal((weights, tokenizer, pooling), (m.Weights, m.Tokenizer, m.Pooling));
        Assert.Equal(ModelFamily.Encoder, m.Family);
        Assert.Equal([TaskKind.Classification], m.TaskKinds);
        Assert.Equal(architecture == "roberta" ? 1e-5 : 1e-12, m.LayerNormEps);
    }

    [Theory]
    [InlineData("minilm")]
    [InlineData("MiniLM")]
    [InlineData(" all-MiniLM-L6-v2 ")]
    public void Names_and_aliases_find_the_entry_case_insensitively(string name)
    {
        Assert.Same(ModelCatalog.MiniLM, ModelCatalog.Find(name));
        Assert.Equal("minilm", ModelCatalog.Canonical(name));
        Assert.False(ModelCatalog.IsCheckpointPath(name));
    }

    [Fact]
    public void An_unknown_name_is_an_error_listing_the_allowed_values()
    {
        var e = Assert.Throws<ArgumentException>(() => ModelCatalog.Find("gpt9"));
        Assert.Equal("unknown model 'gpt9'; allowed: minilm (all-minilm-l6-v2), bert-base-uncased, roberta-base, minilm2minilm, "
            + "bart-base, bart-large, mbart-large-cc25 (mbart-large), "
            + "or the path of an HF checkpoint folder (containing '/')", e.Message);
        Assert.Null(ModelCatalog.TryFind("gpt9"));
        Assert.Null(ModelCatalog.TryFind(null));
    }

    [Theory]
    [InlineData("/models/roberta-large", true)]
    [InlineData("./tiny-bert", true)]
    [InlineData(@"C:\models\bert", true)]
    [InlineData("tiny-bert", false)]
    [InlineData("roberta-base", false)]
    public void A_name_holding_a_path_separator_is_a_checkpoint_folder(string model, bool path)
    {
        Assert.Equal(path, ModelCatalog.IsCheckpointPath(model));
        if (path)
        {
            Assert.Equal(model, ModelCatalog.Canonical($" {model} ")); // paths keep their case
        }
    }

    [Fact]
    public void Names_are_unique_and_lower_case()
    {
        var names = ModelCatalog.All.SelectMany(m => m.Aliases.Prepend(m.Name)).ToList();
        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.All(names, n => Assert.Equal(n.ToLowerInvariant(), n));
        Assert.All(ModelCatalog.All, m => Assert.Equal(m.Name, m.Shape.Name));
    }
}
