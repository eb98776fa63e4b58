using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Microsoft.ML.Tokenizers;
using PeftGrid.Models.Loading;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace PeftGrid.Models.Tests;

public class MiniLmOnnxTests
{
    private static readonly string[] Sentences =
    [
        "a gripping , funny and deeply moving film .",
        "the plot is paper-thin and the acting is worse .",
        "PeftGrid adds a few percent of parameters to a frozen transformer.",
    ];

    [Fact]
    public void LastHiddenStateMatchesOnnxRuntimeWithin1e4()
    {
        using var vocab = MiniLmOnnx.OpenVocab();
        var tokenizer = BertTokenizer.Create(vocab, new BertOptions { LowerCaseBeforeTokenization = true });
        var ids = Sentences.Select(s => tokenizer.EncodeToIds(s).Select(i => (long)i).ToArray()).ToArray();
        var t = ids.Max(x => x.Length);
        var b = ids.Length;
        var inputIds = new long[b * t];
        var mask = new long[b * t];
        var types = new long[b * t];
        for (var i = 0; i < b; i++)
        {
            for (var j = 0; j < ids[i].Length; j++) { inputIds[i * t + j] = ids[i][j]; mask[i * t + j] = 1; }
        }
        Assert.Equal(101, inputIds[0]);   // [CLS]

        // ONNX Runtime on the very same embedded model.
        using var ms = new MemoryStream();
        using (var s = MiniLmOnnx.OpenModel()) { s.CopyTo(ms); }
        using var session = new InferenceSession(ms.ToArray());
        var dims = new[] { b, t };
        using var results = session.Run(
        [
            NamedOnnxValue.CreateFromTensor("input_ids", new DenseTensor<long>(inputIds, dims)),
            NamedOnnxValue.CreateFromTensor("attention_mask", new DenseTensor<long>(mask, dims)),
            NamedOnnxValue.CreateFromTensor("token_type_ids", new DenseTensor<long>(types, dims)),
        ]);
        var expected = results.First(r => r.Name == "last_hidden_state").AsTensor<float>().ToArray();

        using var encoder = MiniLmOnnx.Load();
        encoder.eval();
        using var _ = torch.no_grad();
        using var actual = encoder.forward(torch.tensor(inputIds, b, t), torch.tensor(types, b, t), torch.tensor(mask, b, t));
        Assert.Equal(new long[] { b, t, 384 }, actual.shape);
        var got = actual.data<float>().ToArray();
        var maxDiff = 0.0;
        for (var i = 0; i < b; i++)
        {
            for (var j = 0; j < ids[i].Length; j++)   // real tokens; padded rows are meaningless in either runtime
            {
                for (var k = 0; k < 384; k++)
                {
                    var idx = (i * t + j) * 384 + k;
                    maxDiff = Math.Max(maxDiff, Math.Abs(got[idx] - expected[idx]));
                }
            }
        }
        Console.WriteLine($"MiniLM vs ONNX Runtime: max |diff| = {maxDiff:E3} over {ids.Sum(x => x.Length) * 384} values");
        Assert.True(maxDiff <= 1e-4, $"max abs diff {maxDiff:E3} > 1e-4");
    }

    [Fact]
    public void MiniLmHasThePaperTotalParameterCount()
    {
        using var encoder = MiniLmOnnx.Load();
        Assert.Equal(22_565_376L, encoder.PretrainedParameters().Sum(p => p.Parameter.numel()));
        Assert.Equal(22_565_376L, encoder.Shape.TotalParameters);
    }

    [Fact]
    public void OnnxWeightsAreNamedByHfKeysAndTransposed()
    {
        var state = MiniLmOnnx.ReadWeights();
        try
        {
            Assert.Equal(new long[] { 1536, 384 }, state["encoder.layer.0.intermediate.dense.weight"].shape);
            Assert.Equal(new long[] { 384, 1536 }, state["encoder.layer.5.output.dense.weight"].shape);
            Assert.DoesNotContain(state.Keys, k => k.StartsWith("pooler.", StringComparison.Ordinal));
            Assert.Equal(6 * 16 + 5, state.Count);
        }
        finally
        {
            foreach (var v in state.Values) { v.Dispose(); }
        }
    }
}
