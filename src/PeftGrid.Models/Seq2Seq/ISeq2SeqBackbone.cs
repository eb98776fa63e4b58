using PeftGrid.Peft.Adapters;
using PeftGrid.Peft.Seams;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PeftGrid.Models.Seq2Seq;

/// <summary>The special token ids an encoder-decoder generates with (HF <c>config.json</c> names in brackets).</summary>
/// <param name="Pad">[pad_token_id]: 1 for BART/mBART, 0 ([PAD]) for minilm2minilm.</param>
/// <param name="Eos">[eos_token_id]: 2 for BART/mBART, 102 ([SEP]) for minilm2minilm; ends a generated sequence.</param>
/// <param name="DecoderStart">[decoder_start_token_id]: the first decoder input; 2 (&lt;/s&gt;) for BART, 101 ([CLS]) for
/// minilm2minilm; for mBART the target-language code (the caller passes it per call).</param>
/// <param name="ForcedBos">[forced_bos_token_id]: the token forced as the first generated one (0 = &lt;s&gt; for BART), or null.</param>
public sealed record Seq2SeqTokens(int Pad, int Eos, int DecoderStart, int? ForcedBos);

/// <summary>
/// The encoder's output as the decoder's cross-attention reads it: states [B, S, d] and the key mask [B, S] (1 = attend, 0 =
/// padding), prompt positions (prompt tuning) included and attended. Owns both tensors.
/// </summary>
/// <param name="Hidden">Encoder last hidden state [B, S, d].</param>
/// <param name="Mask">Key mask [B, S] (float 1/0 or int64 1/0).</param>
public sealed record EncoderMemory(Tensor Hidden, Tensor Mask) : IDisposable
{
    /// <summary>Row <c>i</c> of the result is row <c>indices[i]</c> of this memory (expanding to batch × beams): [B', S, d], [B', S].</summary>
    public EncoderMemory Select(Tensor indices) => new(Hidden.index_select(0, indices), Mask.index_select(0, indices));

    /// <summary>Disposes both tensors.</summary>
    public void Dispose()
    {
        Hidden.Dispose();
        Mask.Dispose();
    }
}

/// <summary>
/// An encoder-decoder backbone (BART, mBART, minilm2minilm) as the PEFT framework, the trainer and generation see it: its seam
/// sites (encoder self-attention, decoder self- and cross-attention, both FFNs), an encoder pass, and a decoder pass that returns
/// LM logits and can extend a <see cref="KvCache"/>. Like every <see cref="IPeftBackbone"/> it holds no PEFT state: an adapter set
/// comes in with each call. Decoder positions start at <see cref="KvCache.Length"/> when a cache is given, else at 0.
/// </summary>
public interface ISeq2SeqBackbone : IPeftBackbone, IDisposable
{
    /// <summary>Special token ids for generation.</summary>
    Seq2SeqTokens Tokens { get; }

    /// <summary>The longest decoder sequence the position table allows (1,024 for BART, 512 for minilm2minilm).</summary>
    int MaxTargetPositions { get; }

    /// <summary>Decoder layers (the number of <see cref="KvCache"/> entries).</summary>
    int DecoderLayers { get; }

    /// <summary>The encoder with <paramref name="adapters"/>: input ids [B, S] int64, attention mask [B, S] (1 token, 0 padding)
    /// → memory [B, l + S, d] with mask [B, l + S] (l prompt positions when the set has a prompt, else 0).</summary>
    EncoderMemory Encode(Tensor inputIds, Tensor attentionMask, AdapterSet? adapters);

    /// <summary>
    /// The decoder with <paramref name="adapters"/>: decoder input ids [B, T] int64 (no decoder padding mask: causal attention only;
    /// right padding is ignored by the loss) over <paramref name="memory"/> → LM logits [B, T, vocab] (float32). With a
    /// <paramref name="cache"/>, the ids are the next T positions after the cached ones: their self-attention keys/values are appended
    /// and the cross-attention keys/values are computed once and reused; prefixes are never written into the cache.
    /// </summary>
    Tensor Decode(Tensor decoderInputIds, EncoderMemory memory, AdapterSet? adapters, KvCache? cache = null);

    /// <summary>Parameters the architecture has but the checkpoint lacked (role <see cref="ParameterRole.WarmStart"/>: minilm2minilm's
    /// cross-attention and LM-head bias), with their key names; empty for BART/mBART. Never frozen by <see cref="BackbonePolicy"/>
    /// and not among <see cref="IPeftBackbone.PretrainedParameters"/>.</summary>
    IEnumerable<(string Name, Parameter Parameter)> NewParameters();
}
