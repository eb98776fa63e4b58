using PeftGrid.Models.Bert2Bert;
using PeftGrid.Models.Seq2Seq;
using PeftGrid.Peft.Adapters;
using PeftGrid.Peft.Framework;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace PeftGrid.Peft.Tests.EncoderDecoder;

public class MiniLm2MiniLmTrainingTests(Xunit.Abstractions.ITestOutputHelper output)
{
    // One teacher-forced step in train mode (dropout on): gradients reach LoRA's B, the new parts (cross-attention, LM-head bias)
    // and nothing frozen.
    [Fact]
    public void ATeacherForcedStepReachesAdaptersAndNewPartsOnly()
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        torch.manual_seed(0);
        using var model = new Seq2SeqModel(MiniLm2MiniLm.Load(dropout: 0.1));
        model.ApplyPeft(PeftConfig.Parse("lora-attn[r=4]"));
        output.WriteLine($"load {watch.ElapsedMilliseconds} ms");
        model.train();
        var (ids, mask, dec) = MiniLm2MiniLmFixture.Batch();
        using var logits = model.forward(ids, mask, dec[.., ..4]);
        using var loss = nn.functional.cross_entropy(logits.reshape(-1, logits.shape[2]), dec[.., 1..].reshape(-1));
        loss.backward();
        output.WriteLine($"step {watch.ElapsedMilliseconds} ms");
        Assert.True(float.IsFinite(loss.item<float>()));
        var trainable = model.TrainableParameters().ToList();
        Assert.DoesNotContain(trainable, p => p.Role == ParameterRole.Backbone);
        double GradNorm(string name) => trainable.Single(p => p.Name == name).Parameter.grad?.norm().item<float>() ?? 0;
        Assert.True(GradNorm("base_model.model.decoder.bert.encoder.layer.5.crossattention.self.value.lora_B.weight") > 0);
        Assert.True(GradNorm("base_model.model.encoder.encoder.layer.0.attention.self.query.lora_B.weight") > 0);
        Assert.True(GradNorm("decoder.bert.encoder.layer.0.crossattention.output.dense.weight") > 0);
        Assert.True(GradNorm("decoder.cls.predictions.bias") > 0);
        Assert.All(model.Backbone.PretrainedParameters(), p => Assert.Null(p.Parameter.grad));
    }
}
