using System.Text.Json;
using Xunit;

namespace PeftGrid.Integration.Tests.Cli;

public class MethodsBudgetCommandTests
{
    [Fact]
    public async Task MethodsJsonListsTheEighteenPresetsWithTheirDimensions()
    {
        var r = await CliProcess.RunAsync("methods", "--json");
        Assert.Equal(0, r.ExitCode);
        using var doc = JsonDocument.Parse(r.Stdout);
        var rows = doc.RootElement.EnumerateArray().ToList();
        Assert.Equal(18, rows.Count);
        var mam = rows.Single(x => x.GetProperty("name").GetString() == "mam");
        var mods = mam.GetProperty("modifications").EnumerateArray().ToList();
        Assert.Equal("PrefixSoftmax", mods[0].GetProperty("functionalForm").GetString());
        Assert.Equal("GatedInterpolation", mods[0].GetProperty("compositionFunction").GetString());
        Assert.Equal("ScaledAdd", mods[1].GetProperty("compositionFunction").GetString());
        Assert.Equal("16", mam.GetProperty("defaults").GetProperty("l").GetString());
        Assert.Equal(["l", "r"], mam.GetProperty("budgetSolves").EnumerateArray().Select(x => x.GetString()));
        var lora = rows.Single(x => x.GetProperty("name").GetString() == "lora-attn");
        Assert.Equal("a tier solves r unless written; alpha follows r (alpha := s·r, s = alpha/r as the spec resolves it)",
            lora.GetProperty("budgetRule").GetString());
    }

    [Fact]
    public async Task BudgetKeepsLoraScaleAcrossTiers()
    {
        var r = await CliProcess.RunAsync("budget", "--model", "minilm", "--method", "lora-attn", "--target", "0.1%", "--json");
        Assert.True(r.ExitCode == 0, r.Stderr);
        using var doc = JsonDocument.Parse(r.Stdout);
        Assert.Equal("lora-attn[r=2,alpha=4]", doc.RootElement.GetProperty("method").GetString());   // s = 2, as at the default r = 16
    }

    [Fact]
    public async Task BudgetOfGlueMamOnRobertaBase()
    {
        var r = await CliProcess.RunAsync("budget", "--model", "roberta-base", "--method", "mam[l=16,r=16,s=2]", "--json");
        Assert.Equal(0, r.ExitCode);
        using var doc = JsonDocument.Parse(r.Stdout);
        Assert.Equal(589_824, doc.RootElement.GetProperty("paperCount").GetInt64());
        Assert.Equal(124_055_040, doc.RootElement.GetProperty("totalCount").GetInt64());
    }

    [Fact]
    public async Task BudgetSolvesATierOnMiniLm()
    {
        var r = await CliProcess.RunAsync("budget", "--model", "minilm", "--method", "pa-ffn", "--target", "0.5%", "--json");
        Assert.Equal(0, r.ExitCode);
        using var doc = JsonDocument.Parse(r.Stdout);
        Assert.Equal("pa-ffn[r=24]", doc.RootElement.GetProperty("method").GetString());
        Assert.Equal(110_592, doc.RootElement.GetProperty("paperCount").GetInt64());
    }

    [Fact]
    public async Task BudgetReadsAnyHfConfigJson()
    {
        var config = Path.Combine(TestData.Root, "checkpoints", "tiny-bert", "config.json");
        var r = await CliProcess.RunAsync("budget", "--model", config, "--method", "lora-attn", "--json");
        Assert.True(r.ExitCode == 0, r.Stderr);
        using var doc = JsonDocument.Parse(r.Stdout);
        Assert.Equal(29_504, doc.RootElement.GetProperty("totalCount").GetInt64());   // (256+128+2)·32 + 64 + 2·8,544
        Assert.Equal(4 * 16 * 32 * 2, doc.RootElement.GetProperty("paperCount").GetInt64());
    }

    [Theory]
    [InlineData("unknown method preset 'lorax'", "budget", "--model", "minilm", "--method", "lorax")]
    [InlineData("unknown model 'gpt9'", "budget", "--model", "gpt9", "--method", "lora-attn")]
    [InlineData("r=999 is larger than the model's hidden size d=384", "budget", "--model", "minilm", "--method", "pa-ffn[r=999]")]
    [InlineData("cannot reach 40%", "budget", "--model", "minilm", "--method", "bitfit", "--target", "40%")]
    [InlineData("--target: 'lots' is not a percentage", "budget", "--model", "minilm", "--method", "bitfit", "--target", "lots")]
    public async Task BadInputIsOneLineAndExitCode1(string expected, params string[] args)
    {
        var r = await CliProcess.RunAsync(args);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains(expected, r.Stderr);
        Assert.Single(r.Stderr.Trim().Split('\n'));
    }
}
