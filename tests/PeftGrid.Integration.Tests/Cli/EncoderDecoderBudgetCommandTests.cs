using System.Text.Json;
using Xunit;

namespace PeftGrid.Integration.Tests.Cli;

/// <summary><c>peftgrid budget</c> and <c>peftgrid methods</c> on encoder-decoders (N_attn = 3, N_ffn = 2; PAPER.md §1.15).</summary>
public class EncoderDecoderBudgetCommandTests
{
    [Fact]
    public async Task BudgetOfMamOnBartLargeGivesBothPercentages()
    {
        var r = await CliProcess.RunAsync("budget", "--model", "bart-large", "--method", "mam[l=30,r=512,s=4]", "--json");
        Assert.True(r.ExitCode == 0, r.Stderr);
        var root = JsonDocument.Parse(r.Stdout).RootElement;
        Assert.Equal(27_377_664, root.GetProperty("paperCount").GetInt64());
        Assert.Equal(86_810_976, root.GetProperty("trainableCount").GetInt64());   // three prefix MLPs + 24 adapters with biases
        Assert.Equal(406_291_456, root.GetProperty("totalCount").GetInt64());
        Assert.Equal(409_600_000, root.GetProperty("paperMappedTotal").GetInt64());
        Assert.Equal(6.684, root.GetProperty("paperPercent").GetDouble(), 3);
        Assert.Equal(6.738, root.GetProperty("percent").GetDouble(), 3);
        Assert.True(root.GetProperty("encoderDecoder").GetBoolean());
        Assert.Equal(0, root.GetProperty("newParameters").GetInt64());
    }

    [Fact]
    public async Task BudgetOfMamOnMBartMapsToTheSamePaperPercent()
    {
        var r = await CliProcess.RunAsync("budget", "--model", "mbart-large-cc25", "--method", "mam[l=30,r=512,s=4]", "--json");
        Assert.True(r.ExitCode == 0, r.Stderr);
        var root = JsonDocument.Parse(r.Stdout).RootElement;
        Assert.Equal(610_851_840, root.GetProperty("totalCount").GetInt64());
        Assert.Equal(6.684, root.GetProperty("paperPercent").GetDouble(), 3);
        Assert.Equal(4.482, root.GetProperty("percent").GetDouble(), 3);
    }

    [Fact]
    public async Task BudgetOnMiniLm2MiniLmReportsTheNewPartsApart()
    {
        var r = await CliProcess.RunAsync("budget", "--model", "minilm2minilm", "--method", "full", "--json");
        Assert.True(r.ExitCode == 0, r.Stderr);
        var root = JsonDocument.Parse(r.Stdout).RootElement;
        Assert.Equal(45_130_752, root.GetProperty("trainableCount").GetInt64());
        Assert.Equal(45_130_752, root.GetProperty("totalCount").GetInt64());
        Assert.Equal(3_583_290, root.GetProperty("newParameters").GetInt64());
        var table = await CliProcess.RunAsync("budget", "--model", "minilm2minilm", "--method", "prefix[l=30]");
        Assert.True(table.ExitCode == 0, table.Stderr);
        Assert.Contains("3,583,290 (cross-attention, LM-head bias: train with every method, not in the budget)", table.Stdout);
        Assert.Contains("% as the paper maps it", table.Stdout);
    }

    [Fact]
    public async Task BudgetOnAnEncoderHasNoPaperMappedPercent()
    {
        var r = await CliProcess.RunAsync("budget", "--model", "minilm", "--method", "lora-attn", "--json");
        Assert.True(r.ExitCode == 0, r.Stderr);
        var root = JsonDocument.Parse(r.Stdout).RootElement;
        Assert.Equal(JsonValueKind.Null, root.GetProperty("paperPercent").ValueKind);
        Assert.False(root.GetProperty("encoderDecoder").GetBoolean());
    }

    [Fact]
    public async Task MethodsOnBartLargeCountsThePaperSeq2SeqSizes()
    {
        var r = await CliProcess.RunAsync("methods", "--model", "bart-large", "--json");
        Assert.True(r.ExitCode == 0, r.Stderr);
        var rows = JsonDocument.Parse(r.Stdout).RootElement.EnumerateArray().ToDictionary(x => x.GetProperty("name").GetString()!);
        var prefix = rows["prefix"].GetProperty("budget");
        Assert.Equal("prefix[l=200,mid=800,gate=concat]", prefix.GetProperty("method").GetString());
        Assert.Equal(14_745_600, prefix.GetProperty("paperCount").GetInt64());
        Assert.Equal(3.6, prefix.GetProperty("paperPercent").GetDouble(), 10);
        Assert.Equal(62_130_528, prefix.GetProperty("trainableCount").GetInt64());
        Assert.Equal(25_067_520, rows["lora-ffn"].GetProperty("budget").GetProperty("paperCount").GetInt64());
        Assert.Equal(29_491_200, rows["lora-attn"].GetProperty("budget").GetProperty("paperCount").GetInt64());
        Assert.Equal(204_800, rows["prompt"].GetProperty("budget").GetProperty("paperCount").GetInt64());
        Assert.Equal(333_824, rows["bitfit"].GetProperty("budget").GetProperty("paperCount").GetInt64());
        Assert.Equal("mam[l=30,r=512,s=4,mid=800]", rows["mam"].GetProperty("seq2SeqSpec").GetString());
        Assert.Equal(27_377_664, rows["mam"].GetProperty("budget").GetProperty("paperCount").GetInt64());
    }

    [Fact]
    public async Task MethodsOnMiniLm2MiniLmSaysWhichPaperSizesDoNotFit()
    {
        var r = await CliProcess.RunAsync("methods", "--model", "minilm2minilm", "--json");
        Assert.True(r.ExitCode == 0, r.Stderr);
        var rows = JsonDocument.Parse(r.Stdout).RootElement.EnumerateArray().ToDictionary(x => x.GetProperty("name").GetString()!);
        Assert.Equal(JsonValueKind.Null, rows["scaled-pa"].GetProperty("budget").ValueKind);
        Assert.Contains("r=512 is larger than the model's hidden size d=384", rows["scaled-pa"].GetProperty("budgetError").GetString());
        Assert.Equal(3_583_290, rows["prefix"].GetProperty("budget").GetProperty("newParameters").GetInt64());
        var defaults = await CliProcess.RunAsync("methods", "--model", "minilm2minilm", "--sizes", "defaults", "--json");
        var lora = JsonDocument.Parse(defaults.Stdout).RootElement.EnumerateArray().Single(x => x.GetProperty("name").GetString() == "lora-attn");
        Assert.Equal(4L * 16 * 384 * 18, lora.GetProperty("budget").GetProperty("paperCount").GetInt64());
    }

    [Theory]
    [InlineData("--sizes: 'huge' is not a size set; allowed: defaults, paper-seq2seq", "methods", "--model", "bart-large", "--sizes", "huge")]
    [InlineData("--sizes needs --model", "methods", "--sizes", "defaults")]
    [InlineData("unknown model 'gpt9'", "methods", "--model", "gpt9")]
    public async Task MethodsBadInputIsOneLineAndExitCode1(string expected, params string[] args)
    {
        var r = await CliProcess.RunAsync(args);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains(expected, r.Stderr);
        Assert.Single(r.Stderr.Trim().Split('\n'));
    }
}
