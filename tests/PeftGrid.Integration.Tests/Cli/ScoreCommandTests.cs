using System.Text.Json;
using Xunit;

namespace PeftGrid.Integration.Tests.Cli;

public class ScoreCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("peftgrid-score-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, params string[] lines)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllLines(path, lines);
        return path;
    }

    [Fact]
    public async Task BleuJsonMatchesTheHandDerivedCorpusValue()
    {
        // Same fixture as BleuTests: m = [7,4,2,1], t = [9,7,5,3], c = 9, r = 10 -> 44.15034607719597
        var pred = Write("pred.txt", "the cat sat on the mat", "a dog barked");
        var reference = Write("ref.txt", "the cat sat on a mat", "the dog barked loudly");
        var r = await CliProcess.RunAsync("score", "--metric", "bleu", "--pred", pred, "--ref", reference, "--json");
        Assert.True(r.ExitCode == 0, r.Stderr);
        using var doc = JsonDocument.Parse(r.Stdout);
        Assert.Equal(44.15034607719597, doc.RootElement.GetProperty("bleu").GetProperty("score").GetDouble(), 1e-6);
        Assert.Equal("nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.4.0", doc.RootElement.GetProperty("signature").GetString());
        Assert.Equal(2, doc.RootElement.GetProperty("lines").GetInt32());
    }

    [Fact]
    public async Task RougeTableAndPaperBleu()
    {
        // Stemmed "cats" = "cat": identical -> ROUGE-2 100.00; the cedilla/comma forms are equal after the paper's pipeline -> BLEU 100.00
        var r = await CliProcess.RunAsync("score", "--metric", "rouge", "--pred", Write("p.txt", "The cats sat"), "--ref", Write("r.txt", "The cat sat"));
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Matches(@"ROUGE-2\s*│\s*100\.00", r.Stdout);
        var b = await CliProcess.RunAsync("score", "--metric", "bleu-paper", "--json",
            "--pred", Write("ph.txt", "A\u0163i v\u0103zut \u015Fcoala noastr\u0103 nou\u0103 ."),
            "--ref", Write("rh.txt", "A\u021Bi v\u0103zut \u0219coala noastr\u0103 nou\u0103 ."));
        Assert.True(b.ExitCode == 0, b.Stderr);
        using var doc = JsonDocument.Parse(b.Stdout);
        Assert.Equal(100, doc.RootElement.GetProperty("bleu").GetProperty("score").GetDouble(), 1e-9);
    }

    [Fact]
    public async Task UnequalLineCountsAreOneLineNamingBothFiles()
    {
        var pred = Write("pred.txt", "a", "b", "c");
        var reference = Write("ref.txt", "a", "b");
        var r = await CliProcess.RunAsync("score", "--metric", "bleu", "--pred", pred, "--ref", reference);
        Assert.Equal(1, r.ExitCode);
        Assert.Equal($"peftgrid: error: --pred {pred} has 3 lines but --ref {reference} has 2; they must pair line by line", r.Stderr.Trim());
        var bad = await CliProcess.RunAsync("score", "--metric", "chrf", "--pred", pred, "--ref", reference);
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("--metric: 'chrf' is not a metric; allowed: rouge, bleu, bleu-paper", bad.Stderr);
    }
}
