using PeftGrid.Client.Grids;
using Xunit;

namespace PeftGrid.Client.Tests.Grids;

public sealed class GridParserTests
{
    private const string Good = """
    { "name": "g", "tasks": ["sst2"], "model": "minilm", "methods": ["lora-attn", "mam[l=16,r=16,s=2]", {"method": "full", "budgets": [null]}],
      "budgets": [0.1, "0.5%"], "seeds": [1, 2], "profile": {"maxTrainExamples": 100, "maxLength": 32},
      "failurePolicy": {"maxAttempts": 3, "leaseSeconds": 10} }
    """;

    [Fact]
    public void ParsesAndExpandsTheDocumentedFormat()
    {
        var grid = GridParser.Parse(Good);
        var x = GridParser.Expand(grid);
        // lora and mam: 2 tiers × 2 seeds; full: 1 tier × 2 seeds.
        Assert.Equal(10, x.Request.Cells.Count);
        Assert.Empty(x.Duplicates);
        Assert.Equal((3, 10), (x.Request.Policy.MaxAttempts, x.Request.Policy.LeaseSeconds));
        Assert.All(x.Request.Cells, c => Assert.Equal((100, 32), (c.Profile.MaxTrainExamples!.Value, c.Profile.MaxLength)));
        Assert.Equal([0.1, 0.5], x.Request.Cells.Where(c => c.Method == "lora-attn").Select(c => c.BudgetPercent!.Value).Distinct().Order());
        Assert.All(x.Request.Cells.Where(c => c.Method == "full"), c => Assert.Null(c.BudgetPercent));
        Assert.StartsWith("g-", x.Request.SweepId);
        Assert.Equal(x.Request.SweepId, GridParser.Expand(GridParser.Parse(Good)).Request.SweepId);
    }

    [Theory]
    [InlineData("""{ "tasks": ["sst2"], "models": ["minilm"], "methods": ["lora-attn", oops] }""", "$.methods[1]")]
    [InlineData("""{ "tasks": ["sst2"], "models": ["minilm"], "profile": { "epochs": } }""", "$.profile.epochs")]
    [InlineData("""{ "tasks": ["sst2"], "models": ["minilm"], "methods": ["lora-attn"] """, "$.methods")]
    public void MalformedJsonNamesThePath(string json, string path)
    {
        var e = Assert.Throws<GridFormatException>(() => GridParser.Parse(json));
        Assert.Equal(path, e.JsonPath);
        Assert.Contains("malformed JSON", e.Message);
    }

    [Theory]
    [InlineData("""{ "tasks": ["sst2", "cola"], "models": ["minilm"], "methods": ["lora-attn"] }""", "$.tasks[1]", "unknown task 'cola'")]
    [InlineData("""{ "tasks": ["sst2"], "models": ["gpt-9"], "methods": ["lora-attn"] }""", "$.models[0]", "unknown model 'gpt-9'")]
    [InlineData("""{ "tasks": ["sst2"], "models": ["minilm"], "methods": ["lora-attn", "prefix|loraa-ffn[r=2]"] }""", "$.methods[1]", "unknown method 'loraa-ffn'")]
    [InlineData("""{ "tasks": ["sst2"], "models": ["minilm"], "methods": [{"method": "mam[l=]"}] }""", "$.methods[0].method", "bad option 'l='")]
    [InlineData("""{ "tasks": ["sst2"], "models": ["minilm"], "methods": ["lora-attn"], "seeds": [1, "2"] }""", "$.seeds[1]", "expected an integer")]
    [InlineData("""{ "tasks": ["sst2"], "models": ["minilm"], "methods": ["lora-attn"], "budgets": [200] }""", "$.budgets[0]", "(0, 100]")]
    [InlineData("""{ "tasks": ["sst2"], "models": ["minilm"], "methods": ["lora-attn"], "profile": {"epoch": 1} }""", "$.profile.epoch", "unknown field")]
    [InlineData("""{ "tasks": ["sst2"], "models": ["minilm"], "methods": ["lora-attn"], "failurePolicy": {"maxAttempts": 0} }""", "$.failurePolicy.maxAttempts", "≥ 1")]
    [InlineData("""{ "tasks": ["sst2"], "models": ["minilm"] }""", "$.methods", "required field is missing")]
    public void BadFieldsNameTheirPath(string json, string path, string message)
    {
        var e = Assert.Throws<GridFormatException>(() => GridParser.Parse(json));
        Assert.Equal(path, e.JsonPath);
        Assert.Contains(message, e.Message);
    }

    [Theory]
    [InlineData("""{ "tasks": [], "models": ["minilm"], "methods": ["lora-attn"] }""", "$.tasks")]
    [InlineData("""{ "tasks": ["sst2"], "models": ["minilm"], "methods": [] }""", "$.methods")]
    [InlineData("""{ "tasks": ["sst2"], "models": ["minilm"], "methods": ["lora-attn"], "seeds": [] }""", "$.seeds")]
    public void EmptyGridIsAnError(string json, string path)
    {
        var e = Assert.Throws<GridFormatException>(() => GridParser.Parse(json));
        Assert.Equal(path, e.JsonPath);
        Assert.Contains("must not be empty", e.Message);
    }

    [Fact]
    public void DuplicateCellsAreMergedAndReported()
    {
        var grid = GridParser.Parse("""{ "tasks": ["sst2"], "models": ["minilm"], "methods": ["lora-attn", "lora-attn", "prefix"], "budgets": [0.5], "seeds": [1, 1, 2] }""");
        var x = GridParser.Expand(grid);
        Assert.Equal(4, x.Request.Cells.Count);
        Assert.Equal(4, x.Request.Cells.Select(c => c.CellId).Distinct().Count());
        Assert.Equal(3, x.Duplicates.Count); // lora s1 ×4, lora s2 ×2, prefix s1 ×2
        Assert.Contains(x.Duplicates, d => d.Contains("lora-attn") && d.Contains("appears 4 times"));
        Assert.Contains(x.Duplicates, d => d.Contains("prefix") && d.Contains("seed 1") && d.Contains("appears 2 times"));
    }

    [Fact]
    public void BuiltInGridsExpandAsDocumented()
    {
        var demo = GridParser.Expand(GridParser.Load("demo-sst2")).Request;
        Assert.Equal(18, demo.Cells.Count);   // 8 presets × 2 tiers + bitfit + full
        Assert.Equal(10, demo.Cells.Select(c => c.Method).Distinct().Count());
        Assert.Equal(16, demo.Cells.Count(c => c.BudgetPercent is 0.1 or 0.5));
        Assert.All(demo.Cells, c => Assert.Equal(("sst2", "minilm"), (c.Task, c.Model)));

        var paper = GridParser.Expand(GridParser.Load("paper-glue")).Request;
        Assert.Equal(2 * 2 * 6 * 5, paper.Cells.Count);
        Assert.Equal([2, 4, 6, 8, 42], paper.Cells.Select(c => c.Seed).Distinct().Order());
        Assert.All(paper.Cells.Where(c => c.Method is "prefix" or "lora-attn" or "houlsby" or "mam"), c => Assert.Equal(0.5, c.BudgetPercent));
    }

    [Fact]
    public void UnknownGridNameOrMissingFileIsAnError()
    {
        var e = Assert.Throws<FileNotFoundException>(() => GridParser.Load("/no/such/grid.json"));
        Assert.Contains("demo-sst2", e.Message);
    }
}
