using System.Text.Json;
using PeftGrid.Contracts.Json;
using PeftGrid.Contracts.Trials;
using PeftGrid.Tasks.Runner;

namespace PeftGrid.Tasks.Tests.Runner;

/// <summary><c>result.json</c> is written with the solution's one set of JSON options (<see cref="PeftGridJson.Options"/>).</summary>
public class ResultJsonTests
{
    private static readonly TrialResult Result = new()
    {
        CellId = "0123456789abcdef", Task = "sst2", Model = "minilm", Method = "pa-attn+pa-ffn[attn_r=16,ffn_r=16]", Seed = 42,
        Status = TrialStatus.Diverged, Metrics = new Dictionary<string, double> { ["accuracy"] = double.NaN }, DivergedAtStep = 7,
    };

    [Fact]
    public void APlusInAMethodIsWrittenAsAPlus()
    {
        var json = ResultJson.Serialize(Result, new Dictionary<string, object?> { ["note"] = "s·r ≥ 1 <ok> & 'fine'" });
        Assert.Contains("\"method\": \"pa-attn+pa-ffn[attn_r=16,ffn_r=16]\"", json);
        Assert.Contains("\"note\": \"s·r ≥ 1 <ok> & 'fine'\"", json);
        Assert.DoesNotContain("\\u", json);
    }

    [Fact]
    public void StatusIsLowerCaseNaNIsAStringAndTheResultReadsBack()
    {
        var json = ResultJson.Serialize(Result);
        Assert.Contains("\"status\": \"diverged\"", json);
        Assert.Contains("\"accuracy\": \"NaN\"", json);
        var back = JsonSerializer.Deserialize<TrialResult>(json, PeftGridJson.Options)!;
        Assert.Equal((Result.Method, Result.Status, Result.DivergedAtStep), (back.Method, back.Status, back.DivergedAtStep));
        Assert.True(double.IsNaN(back.Metrics["accuracy"]));
    }

    [Fact]
    public void TheOptionsAreSharedAndReadOnly()
    {
        Assert.True(PeftGridJson.Options.IsReadOnly);
        Assert.Throws<InvalidOperationException>(() => PeftGridJson.Options.WriteIndented = false);
    }
}
