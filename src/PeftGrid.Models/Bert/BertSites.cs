using PeftGrid.Peft.Seams;

namespace PeftGrid.Models.Bert;

/// <summary>
/// The seam sites of one BERT/RoBERTa encoder layer, with their HF key paths (<c>encoder.layer.{i}.…</c>), in forward order:
/// prefix keys/values, W_q, W_k, W_v, before W_o, W_o, after W_o, W_1, W_2, FFN output, after the FFN LayerNorm.
/// </summary>
public sealed class BertLayerSites
{
    /// <summary>Creates the sites of layer <paramref name="layer"/> (0-based).</summary>
    public BertLayerSites(int layer)
    {
        var path = $"encoder.layer.{layer}.";
        SeamSite Attention(SeamPosition position, string key) =>
            new(SeamStack.Encoder, layer, SeamSubLayer.Attention, AttentionKind.Self, position, path + key);
        SeamSite Ffn(SeamPosition position, string key) =>
            new(SeamStack.Encoder, layer, SeamSubLayer.Ffn, AttentionKind.None, position, path + key);
        Prefix = Attention(SeamPosition.PrefixKeysValues, "attention.self");
        Query = Attention(SeamPosition.Query, "attention.self.query");
        Key = Attention(SeamPosition.Key, "attention.self.key");
        Value = Attention(SeamPosition.Value, "attention.self.value");
        PreOutput = Attention(SeamPosition.PreOutput, "attention.self");
        AttentionOutput = Attention(SeamPosition.AttentionOutput, "attention.output.dense");
        PostOutput = Attention(SeamPosition.PostOutput, "attention.output");
        FfnIn = Ffn(SeamPosition.FfnIn, "intermediate.dense");
        FfnOut = Ffn(SeamPosition.FfnOut, "output.dense");
        Output = Ffn(SeamPosition.Output, "output");
        AfterNorm = Ffn(SeamPosition.AfterNorm, "output");
        All = [Prefix, Query, Key, Value, PreOutput, AttentionOutput, PostOutput, FfnIn, FfnOut, Output, AfterNorm];
    }

    /// <summary>The self-attention's prefix keys/values (key path <c>attention.self</c>).</summary>
    public SeamSite Prefix { get; }
    /// <summary>W_q (<c>attention.self.query</c>).</summary>
    public SeamSite Query { get; }
    /// <summary>W_k (<c>attention.self.key</c>).</summary>
    public SeamSite Key { get; }
    /// <summary>W_v (<c>attention.self.value</c>).</summary>
    public SeamSite Value { get; }
    /// <summary>The concatenated heads before W_o (the output of <c>attention.self</c>).</summary>
    public SeamSite PreOutput { get; }
    /// <summary>W_o (<c>attention.output.dense</c>).</summary>
    public SeamSite AttentionOutput { get; }
    /// <summary>After W_o, before dropout, residual and LayerNorm (inside <c>attention.output</c>).</summary>
    public SeamSite PostOutput { get; }
    /// <summary>W_1 (<c>intermediate.dense</c>).</summary>
    public SeamSite FfnIn { get; }
    /// <summary>W_2 (<c>output.dense</c>).</summary>
    public SeamSite FfnOut { get; }
    /// <summary>The FFN output after W_2 and dropout, before the residual (inside <c>output</c>).</summary>
    public SeamSite Output { get; }
    /// <summary>After the FFN add &amp; LayerNorm (the end of <c>output</c>).</summary>
    public SeamSite AfterNorm { get; }

    /// <summary>All eleven, in forward order.</summary>
    public IReadOnlyList<SeamSite> All { get; }

    /// <summary>The encoder's input-embedding site (key path <c>embeddings</c>).</summary>
    public static SeamSite Embeddings { get; } =
        new(SeamStack.Encoder, 0, SeamSubLayer.Embeddings, AttentionKind.None, SeamPosition.InputEmbeddings, "embeddings");
}
