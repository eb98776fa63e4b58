using PeftGrid.Models.Bart;
using PeftGrid.Peft.Budget;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace PeftGrid.Models.Tests.Bart;

/// <summary>Tiny BART / mBART models (d = 32, 2 + 2 layers, 4 heads, d_m = 128, vocabulary 100) and HF checkpoint folders of them.</summary>
public static class TinyBartFiles
{
    public static ModelShape Shape(ModelLayout layout) =>
        new(layout == ModelLayout.MBart ? "tiny-mbart" : "tiny-bart", 32, 2, 4, 128, 100, 66, 0) { DecoderLayers = 2, Layout = layout };

    /// <summary>A random model in eval mode; LayerNorms and final_logits_bias perturbed so every tensor matters, embeddings N(0, 0.1).</summary>
    public static BartModel Model(ModelLayout layout, int seed = 11)
    {
        torch.manual_seed(seed);
        var model = new BartModel(new BartConfig(Shape(layout)));
        using (torch.no_grad())
        {
            foreach (var (name, p) in model.PretrainedParameters().Where(p => p.Name.Contains("norm")))
            {
                p.add_(torch.randn_like(p) * 0.1);
            }
            foreach (var (_, p) in model.PretrainedParameters().Where(p => p.Name.Contains("shared") || p.Name.Contains("embed_positions")))
            {
                p.mul_(0.1);   // N(0, 0.1) embeddings keep the tied LM head's logits O(1), as a pretrained model's are
            }
            model.LogitsBias.copy_(torch.randn_like(model.LogitsBias) * 0.1);
        }
        model.eval();
        return model;
    }

    /// <summary>The state dict HF writes for BartForConditionalGeneration: every parameter, final_logits_bias, and the tied copies.</summary>
    public static Dictionary<string, Tensor> HfState(BartModel model)
    {
        var state = model.PretrainedParameters().ToDictionary(p => p.Name, p => p.Parameter.detach().clone());
        state["final_logits_bias"] = model.LogitsBias.clone();
        foreach (var key in new[] { "model.encoder.embed_tokens.weight", "model.decoder.embed_tokens.weight", "lm_head.weight" })
        {
            state[key] = state["model.shared.weight"].clone();
        }
        return state;
    }

    /// <summary>Writes config.json + model.safetensors of <paramref name="model"/> (state edited by <paramref name="edit"/>) to a new temp folder.</summary>
    public static string Write(BartModel model, Action<Dictionary<string, Tensor>>? edit = null)
    {
        var dir = Directory.CreateTempSubdirectory("peftgrid-bart-").FullName;
        File.WriteAllText(Path.Combine(dir, "config.json"), model.Config.ToHfJson());
        var state = HfState(model);
        edit?.Invoke(state);
        Safetensors.SaveStateDict(Path.Combine(dir, "model.safetensors"), state);
        return dir;
    }

    /// <summary>Batch of 2 sources (length 7, row 1 right-padded after 5) and decoder inputs (length 4, starting with 2).</summary>
    public static (Tensor Ids, Tensor Mask, Tensor Dec) Batch()
    {
        torch.manual_seed(321);
        var ids = torch.randint(4, 100, [2, 7], dtype: ScalarType.Int64);
        var mask = torch.ones(2, 7, dtype: ScalarType.Int64);
        ids[1, 5..] = 1;
        mask[1, 5..] = 0;
        var dec = torch.randint(4, 100, [2, 4], dtype: ScalarType.Int64);
        dec[.., 0] = 2;
        return (ids, mask, dec);
    }

    public static Tensor Logits(BartModel model)
    {
        var (ids, mask, dec) = Batch();
        using var _ = torch.no_grad();
        return model.Logits(ids, mask, dec);
    }
}
