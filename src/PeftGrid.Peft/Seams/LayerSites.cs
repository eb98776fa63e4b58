namespace PeftGrid.Peft.Seams;

/// <summary>
/// The seam sites of one attention sub-layer of any backbone (encoder self, decoder self or decoder cross), with the HF key paths
/// of the modules that hold them. A backbone builds one per attention and consults the adapter set at each.
/// </summary>
/// <param name="Prefix">Prefix keys/values (<see cref="SeamPosition.PrefixKeysValues"/>).</param>
/// <param name="Query">W_q.</param>
/// <param name="Key">W_k.</param>
/// <param name="Value">W_v.</param>
/// <param name="PreOutput">The concatenated heads before W_o; x = the attention's query-side input (parallel adapter).</param>
/// <param name="AttentionOutput">W_o.</param>
/// <param name="PostOutput">After W_o, before dropout and residual (sequential adapter).</param>
public sealed record AttentionSites(SeamSite Prefix, SeamSite Query, SeamSite Key, SeamSite Value, SeamSite PreOutput,
    SeamSite AttentionOutput, SeamSite PostOutput)
{
    /// <summary>
    /// The sites of an attention whose module lives at <paramref name="modulePath"/>, with the key paths of its projections and output.
    /// </summary>
    /// <param name="stack">Encoder or decoder.</param>
    /// <param name="layer">0-based layer within the stack.</param>
    /// <param name="kind">Self or cross.</param>
    /// <param name="modulePath">The attention module's key path (prefix, pre-output), e.g. <c>model.decoder.layers.0.encoder_attn</c>.</param>
    /// <param name="query">W_q's key path.</param>
    /// <param name="key">W_k's key path.</param>
    /// <param name="value">W_v's key path.</param>
    /// <param name="output">W_o's key path.</param>
    /// <param name="postOutputPath">The key path of the module holding the post-W_o position (W_o's own path for BART, <c>attention.output</c> for BERT).</param>
    public static AttentionSites Create(SeamStack stack, int layer, AttentionKind kind, string modulePath, string query, string key,
        string value, string output, string postOutputPath)
    {
        SeamSite Site(SeamPosition position, string path) => new(stack, layer, SeamSubLayer.Attention, kind, position, path);
        return new(Site(SeamPosition.PrefixKeysValues, modulePath), Site(SeamPosition.Query, query), Site(SeamPosition.Key, key),
            Site(SeamPosition.Value, value), Site(SeamPosition.PreOutput, modulePath), Site(SeamPosition.AttentionOutput, output),
            Site(SeamPosition.PostOutput, postOutputPath));
    }

    /// <summary>All seven, in forward order.</summary>
    public IReadOnlyList<SeamSite> All => [Prefix, Query, Key, Value, PreOutput, AttentionOutput, PostOutput];
}

/// <summary>The seam sites of one FFN sub-layer of any backbone (encoder or decoder), with HF key paths.</summary>
/// <param name="FfnIn">W_1.</param>
/// <param name="FfnOut">W_2.</param>
/// <param name="Output">The FFN output after W_2 and dropout, before the residual; x = the FFN input (the pre-LN residual stream for mBART).</param>
/// <param name="AfterNorm">After the FFN's residual add (and LayerNorm in a post-LN model): the Pfeiffer position.</param>
public sealed record FfnSites(SeamSite FfnIn, SeamSite FfnOut, SeamSite Output, SeamSite AfterNorm)
{
    /// <summary>The sites of an FFN with W_1 at <paramref name="fc1"/>, W_2 at <paramref name="fc2"/>, and its output positions held by <paramref name="outputPath"/>.</summary>
    public static FfnSites Create(SeamStack stack, int layer, string fc1, string fc2, string outputPath)
    {
        SeamSite Site(SeamPosition position, string path) => new(stack, layer, SeamSubLayer.Ffn, AttentionKind.None, position, path);
        return new(Site(SeamPosition.FfnIn, fc1), Site(SeamPosition.FfnOut, fc2), Site(SeamPosition.Output, outputPath),
            Site(SeamPosition.AfterNorm, outputPath));
    }

    /// <summary>All four, in forward order.</summary>
    public IReadOnlyList<SeamSite> All => [FfnIn, FfnOut, Output, AfterNorm];
}
