using PeftGrid.Peft.Budget;

namespace PeftGrid.Peft.Catalog;

/// <summary>
/// The models PeftGrid knows by name — the one list (DESIGN.md §2) that the grid parser, the scheduler, the budget
/// command and the trainer look up. Any other model is an HF checkpoint folder given by its path (a name holding
/// <c>/</c> or <c>\</c>), whose shape the loader reads from its <c>config.json</c>.
/// </summary>
public static class ModelCatalog
{
    /// <summary>all-MiniLM-L6-v2: BERT, 6 layers, d = 384, 12 heads, d_m = 1536, 22,565,376 parameters; weights bundled.</summary>
    public static ModelEntry MiniLM { get; } = new()
    {
        Name = "minilm", Aliases = ["all-minilm-l6-v2"], HfId = "sentence-transformers/all-MiniLM-L6-v2",
        Shape = new ModelShape("minilm", 384, 6, 12, 1536, 30522, 512, 2), Family = ModelFamily.Encoder, Architecture = "bert",
        Weights = WeightsSource.BundledOnnx, Tokenizer = TokenizerKind.WordPieceUncased, Pooling = ClassifierPooling.Mean,
        TaskKinds = [TaskKind.Classification],
    };

    /// <summary>bert-base-uncased: 12 layers, d = 768, 108,891,648 parameters; weights from an HF checkpoint folder.</summary>
    public static ModelEntry BertBaseUncased { get; } = new()
    {
        Name = "bert-base-uncased", HfId = "bert-base-uncased",
        Shape = new ModelShape("bert-base-uncased", 768, 12, 12, 3072, 30522, 512, 2), Family = ModelFamily.Encoder, Architecture = "bert",
        Weights = WeightsSource.HfCheckpoint, Tokenizer = TokenizerKind.WordPieceUncased, Pooling = ClassifierPooling.Cls,
        TaskKinds = [TaskKind.Classification],
    };

    /// <summary>roberta-base: 12 layers, d = 768, 50,265 tokens, 514 positions (offset 2), 124,055,040 parameters; the paper's GLUE model.</summary>
    public static ModelEntry RobertaBase { get; } = new()
    {
        Name = "roberta-base", HfId = "roberta-base",
        Shape = new ModelShape("roberta-base", 768, 12, 12, 3072, 50265, 514, 1), Family = ModelFamily.Encoder, Architecture = "roberta",
        LayerNormEps = 1e-5, PositionOffset = 2,
        Weights = WeightsSource.HfCheckpoint, Tokenizer = TokenizerKind.ByteLevelBpe, Pooling = ClassifierPooling.Cls,
        TaskKinds = [TaskKind.Classification],
    };

    /// <summary>
    /// minilm2minilm: an encoder-decoder warm-started from all-MiniLM-L6-v2 (Rothe et al., TACL 2020; HF <c>EncoderDecoderModel</c>):
    /// encoder and decoder each a copy of MiniLM (6 + 6 layers, d = 384), the decoder causal with new cross-attention, the LM head tied
    /// to the decoder's word embeddings plus a new bias. 45,130,752 pretrained parameters (both copies); the 3,583,290 new ones
    /// (cross-attention, LM-head bias) train with every method, outside every budget. Weights bundled: the model every local seq2seq run uses.
    /// </summary>
    public static ModelEntry MiniLm2MiniLm { get; } = new()
    {
        Name = "minilm2minilm", HfId = "sentence-transformers/all-MiniLM-L6-v2",
        Shape = new ModelShape("minilm2minilm", 384, 6, 12, 1536, 30522, 512, 2) { DecoderLayers = 6, Layout = ModelLayout.WarmStartedBert },
        Family = ModelFamily.EncoderDecoder, Architecture = "bert2bert",
        Weights = WeightsSource.BundledOnnx, Tokenizer = TokenizerKind.WordPieceUncased, Pooling = ClassifierPooling.Cls,
        TaskKinds = [TaskKind.Seq2Seq],
    };

    /// <summary>facebook/bart-base: 6 + 6 layers, d = 768, 12 heads, d_m = 3072, 50,265 tokens, 1,026 position rows (offset 2).</summary>
    public static ModelEntry BartBase { get; } = new()
    {
        Name = "bart-base", HfId = "facebook/bart-base",
        Shape = new ModelShape("bart-base", 768, 6, 12, 3072, 50265, 1026, 0) { DecoderLayers = 6, Layout = ModelLayout.Bart },
        Family = ModelFamily.EncoderDecoder, Architecture = "bart", LayerNormEps = 1e-5, PositionOffset = 2,
        Weights = WeightsSource.HfCheckpoint, Tokenizer = TokenizerKind.ByteLevelBpe, Pooling = ClassifierPooling.Cls,
        TaskKinds = [TaskKind.Seq2Seq],
    };

    /// <summary>facebook/bart-large: 12 + 12 layers, d = 1024, 16 heads, d_m = 4096, 406,291,456 parameters; the paper's XSum model.</summary>
    public static ModelEntry BartLarge { get; } = new()
    {
        Name = "bart-large", HfId = "facebook/bart-large",
        Shape = new ModelShape("bart-large", 1024, 12, 16, 4096, 50265, 1026, 0) { DecoderLayers = 12, Layout = ModelLayout.Bart },
        Family = ModelFamily.EncoderDecoder, Architecture = "bart", LayerNormEps = 1e-5, PositionOffset = 2,
        Weights = WeightsSource.HfCheckpoint, Tokenizer = TokenizerKind.ByteLevelBpe, Pooling = ClassifierPooling.Cls,
        TaskKinds = [TaskKind.Seq2Seq],
    };

    /// <summary>facebook/mbart-large-cc25: pre-LN, 12 + 12 layers, d = 1024, 250,027 tokens, 610,851,840 parameters; the paper's en-ro model.</summary>
    public static ModelEntry MBartLargeCc25 { get; } = new()
    {
        Name = "mbart-large-cc25", Aliases = ["mbart-large"], HfId = "facebook/mbart-large-cc25",
        Shape = new ModelShape("mbart-large-cc25", 1024, 12, 16, 4096, 250027, 1026, 0) { DecoderLayers = 12, Layout = ModelLayout.MBart },
        Family = ModelFamily.EncoderDecoder, Architecture = "mbart", LayerNormEps = 1e-5, PositionOffset = 2,
        Weights = WeightsSource.HfCheckpoint, Tokenizer = TokenizerKind.SentencePiece, Pooling = ClassifierPooling.Cls,
        TaskKinds = [TaskKind.Seq2Seq],
    };

    /// <summary>Every catalog model, in the order error messages list them.</summary>
    public static IReadOnlyList<ModelEntry> All { get; } = [MiniLM, BertBaseUncased, RobertaBase, MiniLm2MiniLm, BartBase, BartLarge, MBartLargeCc25];

    /// <summary>What a model may be, for error messages: the names (aliases in brackets) or a checkpoint folder path.</summary>
    public static string Allowed { get; } = $"{CatalogNames.List(All.Select(m => (m.Name, m.Aliases)))}, or the path of an HF checkpoint folder (containing '/')";

    private static readonly IReadOnlyDictionary<string, ModelEntry> ByName = CatalogNames.Index(All, m => m.Name, m => m.Aliases);

    /// <summary>The entry named <paramref name="name"/> or one of its aliases (trimmed, case-insensitive), or null.</summary>
    public static ModelEntry? TryFind(string? name) => ByName.GetValueOrDefault(CatalogNames.Key(name));

    /// <summary>The entry named <paramref name="name"/> or one of its aliases (trimmed, case-insensitive).</summary>
    /// <exception cref="ArgumentException">Not a catalog model (a checkpoint path included); the message lists the allowed values.</exception>
    public static ModelEntry Find(string name) => TryFind(name) ?? throw Unknown(name);

    /// <summary>True if <paramref name="model"/> is not a catalog name and names an HF checkpoint folder: it holds <c>/</c> or <c>\</c>
    /// (write <c>./tiny-bert</c>, not <c>tiny-bert</c>). Whether the folder exists is a question for the machine that loads it.</summary>
    public static bool IsCheckpointPath(string model) => TryFind(model) is null && (model.Contains('/') || model.Contains('\\'));

    /// <summary>The canonical name of a model: the catalog name for a name or alias, else <paramref name="model"/> trimmed (a path keeps its case).</summary>
    public static string Canonical(string model) => TryFind(model)?.Name ?? model.Trim();

    /// <summary>The error for a model that is neither a catalog name nor a checkpoint path.</summary>
    public static ArgumentException Unknown(string model) => new($"unknown model '{model}'; allowed: {Allowed}");
}
