using PeftGrid.Models.Seq2Seq;
using PeftGrid.Peft.Adapters;
using PeftGrid.Peft.Budget;
using PeftGrid.Peft.Catalog;
using PeftGrid.Peft.Seams;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PeftGrid.Models.Tests.Generation;

/// <summary>An <see cref="ISeq2SeqBackbone"/> with minilm2minilm's shape and tokens but no weights: enough for option validation.</summary>
internal sealed class ShapeOnlyBackbone : ISeq2SeqBackbone
{
    public ModelShape Shape => ModelCatalog.MiniLm2MiniLm.Shape;
    public IReadOnlyList<SeamSite> Sites => [];
    public Seq2SeqTokens Tokens { get; } = new(Pad: 0, Eos: 102, DecoderStart: 101, ForcedBos: null);
    public int MaxTargetPositions => 512;
    public int DecoderLayers => 6;
    public SeamLinear Projection(SeamSite site) => throw new NotSupportedException();
    public IEnumerable<(string Name, Parameter Parameter)> PretrainedParameters() => [];
    public IEnumerable<(string Name, Parameter Parameter)> NewParameters() => [];
    public EncoderMemory Encode(Tensor inputIds, Tensor attentionMask, AdapterSet? adapters) => throw new NotSupportedException();
    public Tensor Decode(Tensor decoderInputIds, EncoderMemory memory, AdapterSet? adapters, KvCache? cache = null) => throw new NotSupportedException();
    public void Dispose() { }
}
