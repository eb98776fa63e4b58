using System.Text.Json;
using System.Text.Json.Nodes;
using PeftGrid.Models;
using PeftGrid.Models.Seq2Seq;
using PeftGrid.Peft.Adapters;
using PeftGrid.Peft.Framework;
using PeftGrid.Tasks.Adapters;
using TorchSharp;
using TorchSharp.PyBridge;
using Xunit;

namespace PeftGrid.Integration.Tests.Cli;

/// <summary><c>peftgrid generate</c> with the untrained minilm2minilm. Its greedy output repeats the decoder start token [CLS], which
/// decodes to an empty line (HF skip_special_tokens): the tests ban repeated unigrams so the generations are real words.</summary>
public class GenerateCommandTests
{
    private static readonly string[] Inputs =
    [
        "The cat sat on the mat because it was tired.",
        "Stocks fell sharply on Monday after the central bank raised interest rates.",
    ];

    private static string InputFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"peftgrid-generate-{Guid.NewGuid():N}.txt");
        File.WriteAllText(path, string.Join("\n", Inputs) + "\n\n");   // the blank line is not an input
        return path;
    }

    private static readonly string[] Common = ["--model", "minilm2minilm", "--min-length", "5", "--max-length", "10", "--no-repeat-ngram", "1", "--threads", "1"];

    [Fact]
    public async Task TwoInputLinesGiveTwoNonEmptyGenerations()
    {
        var file = InputFile();
        try
        {
            var r = await CliProcess.RunAsync(["generate", "--input", file, .. Common]);
            Assert.True(r.ExitCode == 0, r.Stderr);
            var lines = r.Stdout.TrimEnd('\n').Split('\n');
            Assert.Equal(2, lines.Length);
            Assert.All(lines, l => Assert.False(string.IsNullOrWhiteSpace(l)));
            Assert.All(lines, l => Assert.InRange(l.Split(' ').Length, 1, 9));   // at most max-length − 1 = 9 tokens each
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("--beams must be ≥ 1", "--beams", "0")]
    [InlineData("--min-length must be in 0 … --max-length (20)", "--min-length", "30", "--max-length", "20")]
    [InlineData("--max-length must be ≥ 2", "--max-length", "1")]
    [InlineData("--no-repeat-ngram must be ≥ 0", "--no-repeat-ngram", "-1")]
    [InlineData("--batch-size must be ≥ 1", "--batch-size", "0")]
    [InlineData("model 'minilm' is an encoder; generate needs an encoder-decoder", "--model", "minilm")]
    [InlineData("unknown model 'gpt9'", "--model", "gpt9")]
    [InlineData("source/target language apply to mBART only", "--source-lang", "en_XX")]
    [InlineData("--input: '  ' holds no text", "--input", "  ")]
    [InlineData("--input: file 'missing-inputs.txt' not found", "--input", "missing-inputs.txt")]
    [InlineData("adapter folder '/nonexistent-adapter' does not exist", "--adapter", "/nonexistent-adapter")]
    public async Task BadOptionsAreOneLineAndExitCode1(string expected, params string[] args)
    {
        var all = new List<string> { "generate" };
        all.AddRange(args);
        if (!args.Contains("--model")) all.AddRange(["--model", "minilm2minilm"]);
        if (!args.Contains("--input")) all.AddRange(["--input", "some text"]);
        var r = await CliProcess.RunAsync([.. all]);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains(expected, r.Stderr);
        Assert.Single(r.Stderr.Trim().Split('\n'));
    }

    [Fact]
    [Trait("Category", "Slow")]
    public async Task AnAdapterFolderChangesTheGenerations()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"peftgrid-adapter-{Guid.NewGuid():N}");
        var file = InputFile();
        try
        {
            WriteLoraAdapter(folder);
            var plain = await CliProcess.RunAsync(["generate", "--input", file, "--json", .. Common]);
            var adapted = await CliProcess.RunAsync(["generate", "--input", file, "--json", "--adapter", folder, .. Common]);
            Assert.True(plain.ExitCode == 0, plain.Stderr);
            Assert.True(adapted.ExitCode == 0, adapted.Stderr);
            static List<string> Tokens(string json) => JsonDocument.Parse(json).RootElement.EnumerateArray()
                .Select(g => string.Join(",", g.GetProperty("tokens").EnumerateArray().Select(t => t.GetInt64()))).ToList();
            Assert.Equal(2, Tokens(adapted.Stdout).Count);
            Assert.NotEqual(Tokens(plain.Stdout), Tokens(adapted.Stdout));
            File.WriteAllText(Path.Combine(folder, AdapterFiles.ConfigFile), """{"peftgrid": {"spec": "lora-attn[r=4,alpha=8]", "model": "minilm"}}""");
            var wrong = await CliProcess.RunAsync(["generate", "--input", file, "--adapter", folder, .. Common]);
            Assert.Equal(1, wrong.ExitCode);
            Assert.Contains("was trained for model 'minilm', not 'minilm2minilm'", wrong.Stderr);
        }
        finally
        {
            File.Delete(file);
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>A minilm2minilm LoRA adapter folder whose A and B are random (so Δh ≠ 0), with the seed-0 new parts.</summary>
    private static void WriteLoraAdapter(string folder)
    {
        torch.manual_seed(0);
        using var model = new Seq2SeqModel(ModelLoader.LoadSeq2Seq("minilm2minilm", dropout: 0));
        model.ApplyPeft(PeftConfig.Parse("lora-attn[r=4,alpha=8]"));
        using (torch.no_grad())
        {
            foreach (var (_, p, role) in model.TrainableParameters().Where(p => p.Role != ParameterRole.WarmStart))
            {
                p.normal_(0, 0.5);
            }
        }
        Directory.CreateDirectory(folder);
        var state = model.AdapterStateDict();
        Safetensors.SaveStateDict(Path.Combine(folder, AdapterFiles.WeightsFile), state);
        foreach (var t in state.Values) t.Dispose();
        var config = new JsonObject { ["peft_type"] = "PEFTGRID", ["peftgrid"] = new JsonObject { ["spec"] = "lora-attn[r=4,alpha=8]", ["model"] = "minilm2minilm" } };
        File.WriteAllText(Path.Combine(folder, AdapterFiles.ConfigFile), config.ToJsonString());
    }
}
