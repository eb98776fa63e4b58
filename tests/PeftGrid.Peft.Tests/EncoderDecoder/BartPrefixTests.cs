using PeftGrid.Models.Bart;
using PeftGrid.Models.Seq2Seq;
using PeftGrid.Peft.Adapters;
using PeftGrid.Peft.Budget;
using PeftGrid.Peft.Framework;
using PeftGrid.Peft.Seams;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace PeftGrid.Peft.Tests.EncoderDecoder;

public class BartPrefixTests
{
    private const string Concat = "prefix[l=3,mid=16]";
    private const string Gated = "prefix[l=3,mid=16,gate=explicit]";

    // Eq. 7-9: attention over [P_k; K], [P_v; V] equals (1 − λ) h + λ softmax(q P_kᵀ) P_v, in each attention type separately.
    [Theory]
    [InlineData(ModelLayout.Bart)]
    [InlineData(ModelLayout.MBart)]
    public void ConcatenationEqualsTheGatedFormInEachAttentionType(ModelLayout layout)
    {
        using var backbone = TinyBart.Backbone(layout);
        var (concat, gated) = Pair(backbone);
        var model = (BartModel)backbone;
        torch.manual_seed(5);
        var x = torch.randn(3, 4, 32);
        var memory = torch.randn(3, 6, 32);
        var memoryMask = torch.ones(3, 6);
        memoryMask[1, 4..] = 0;
        var encoderLayer = model.Model.Encoder.Layers[1];
        var decoderLayer = model.Model.Decoder.Layers[0];
        var cases = new (string Kind, BartAttention Attention, Tensor? Memory, Tensor Mask)[]
        {
            ("encoder self", encoderLayer.SelfAttention, null, CachedAttention.Padding(torch.tensor(new float[,] { { 1, 1, 1, 1 }, { 1, 1, 1, 0 }, { 1, 1, 0, 0 } }))),
            ("decoder self", decoderLayer.SelfAttention, null, CachedAttention.Causal(0, 4, x.device)),
            ("decoder cross", decoderLayer.CrossAttention, memory, CachedAttention.Padding(memoryMask)),
        };
        using var _ = torch.no_grad();
        foreach (var (kind, attention, mem, mask) in cases)
        {
            using var passA = AdapterPass.Begin(concat);
            using var passB = AdapterPass.Begin(gated);
            using var plainPass = AdapterPass.Begin(null);
            var a = attention.Forward(x, mem, mask, passA, null);
            var b = attention.Forward(x, mem, mask, passB, null);
            var plain = attention.Forward(x, mem, mask, plainPass, null);
            Assert.True(TinyBart.MaxDiff(a, b) < 1e-5, $"{layout} {kind}: concat vs gated differ by {TinyBart.MaxDiff(a, b)}");
            Assert.True(TinyBart.MaxDiff(a, plain) > 1e-4, $"{layout} {kind}: the prefix should change the attention output");
        }
        var (ids, idsMask, dec) = TinyBart.Batch();
        var full = Logits(backbone, concat, ids, idsMask, dec);
        var viaGate = Logits(backbone, gated, ids, idsMask, dec);
        Assert.True(TinyBart.MaxDiff(full, viaGate) < 1e-5, $"{layout}: logits differ by {TinyBart.MaxDiff(full, viaGate)}");
    }

    [Theory]
    [InlineData(ModelLayout.Bart)]
    [InlineData(ModelLayout.MBart)]
    public void ThreeIndependentPrefixEncodersOnePerAttentionType(ModelLayout layout)
    {
        using var model = TinyBart.Model(layout, Concat);
        var groups = model.Adapters!.NamedPeftParameters().Where(p => p.Role == ParameterRole.PrefixEncoder)
            .GroupBy(p => p.Name.Split('.')[3]).ToDictionary(g => g.Key, g => g.ToList());
        Assert.Equal(["decoder_cross", "decoder_self", "encoder_self"], groups.Keys.Order());
        Assert.All(groups.Values, g => Assert.StartsWith("base_model.model.prefix_encoder.", g[0].Name));
        var handles = groups.Values.SelectMany(g => g.Select(p => p.Parameter.Handle)).ToList();
        Assert.Equal(handles.Count, handles.Distinct().Count());
        // N = 2 layers per group: the last MLP layer emits 2·N·d = 128 values per prefix position in each group
        Assert.All(groups.Values, g => Assert.Equal(128, g.Single(p => p.Name.EndsWith("control_trans_2.bias")).Parameter.shape[0]));

        var (ids, mask, dec) = TinyBart.Batch();
        using var _ = torch.no_grad();
        using var memory = model.Encode(ids, mask);
        var logits = model.Decode(dec, memory);
        var crossBias = groups["decoder_cross"].Single(p => p.Name.EndsWith("control_trans_2.bias")).Parameter;
        crossBias.add_(0.5);
        using (var memory2 = model.Encode(ids, mask))
        {
            Assert.True(TinyBart.MaxDiff(memory.Hidden, memory2.Hidden) == 0, "the decoder-cross encoder must not touch the encoder");
            Assert.True(TinyBart.MaxDiff(logits, model.Decode(dec, memory2)) > 1e-4, "the decoder-cross encoder must change the logits");
        }
        groups["encoder_self"].Single(p => p.Name.EndsWith("control_trans_2.bias")).Parameter.add_(0.5);
        using var memory3 = model.Encode(ids, mask);
        Assert.True(TinyBart.MaxDiff(memory.Hidden, memory3.Hidden) > 1e-4, "the encoder-self encoder must change the encoder");
    }

    private static (AdapterSet Concat, AdapterSet Gated) Pair(BartModel backbone)
    {
        torch.manual_seed(3);
        var concat = AdapterSet.Create(backbone, PeftConfig.Parse(Concat));
        var gated = AdapterSet.Create(backbone, PeftConfig.Parse(Gated));
        var source = concat.NamedPeftParameters().ToDictionary(p => p.Name, p => p.Parameter);
        using (torch.no_grad())
        {
            foreach (var (name, p, _) in gated.NamedPeftParameters()) { p.copy_(source[name]); }
        }
        Assert.Equal(source.Count, gated.NamedPeftParameters().Count());
        concat.eval();
        gated.eval();
        return (concat, gated);
    }

    private static Tensor Logits(BartModel backbone, AdapterSet set, Tensor ids, Tensor mask, Tensor dec)
    {
        using var _ = torch.no_grad();
        return backbone.Logits(ids, mask, dec, set);
    }
}

public class BartTrainingTests
{
    // Gradients reach every prefix encoder (all three attention types) and no frozen backbone parameter.
    [Theory]
    [InlineData(ModelLayout.Bart, "prefix[l=3,mid=16]")]
    [InlineData(ModelLayout.MBart, "mam[l=3,r=8,mid=16]")]
    [InlineData(ModelLayout.MBart, "lora-attn[r=4]")]
    public void BackwardReachesEveryTrainableParameterAndNoFrozenOne(ModelLayout layout, string spec)
    {
        using var model = TinyBart.Model(layout, spec);
        model.train();
        var (ids, mask, dec) = TinyBart.Batch();
        var logits = model.forward(ids, mask, dec);
        var loss = torch.nn.functional.cross_entropy(logits.view(-1, 100), dec.roll(-1, 1).reshape(-1));
        loss.backward();
        var trainable = model.TrainableParameters().ToList();
        Assert.NotEmpty(trainable);
        foreach (var (name, p, _) in trainable.Where(p => !p.Name.Contains("lora_A") && !p.Name.Contains("down_proj")))   // 0 while the up projection (B, W_up) is 0 at init
        {
            Assert.True(p.grad is not null && p.grad.abs().sum().item<float>() > 0, $"{spec}: no gradient for {name}");
        }
        Assert.All(model.Backbone.PretrainedParameters(), p => Assert.False(p.Parameter.requires_grad, p.Name));
    }
}
