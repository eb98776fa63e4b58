using System.Globalization;
using PeftGrid.Client.Grids;
using PeftGrid.Contracts.Trials;
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
        Assert.Equal([0.1, 0.5], x.Request.Cells.Where(c => c.Method == "lora-attn[r=*,alpha=32]").Select(c => c.BudgetPercent!.Value).Distinct().Order());
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
    [InlineData("""{ "tasks": ["sst2"], "models": ["minilm"], "methods": ["lora-attn", "prefix|loraa-ffn[r=2]"] }""", "$.methods[1]", "unknown method preset 'loraa-ffn'; allowed: full, bitfit, prompt")]
    [InlineData("""{ "tasks": ["sst2"], "models": ["minilm"], "methods": [{"method": "mam[l=]"}] }""", "$.methods[0].method", "'l=' in part 'mam[l=]' is not key=value")]
    [InlineData("""{ "tasks": ["sst2"], "models": ["minilm"], "methods": ["lora-attn"], "seeds": [1, "2"] }""", "$.seeds[1]", "expected an integer")]
    [InlineData("""{ "tasks": ["sst2"], "models": ["minilm"], "methods": ["lora-attn"], "budgets": [200] }""", "$.budgets[0]", "(0, 100]")]
    [InlineData("""{ "tasks": ["sst2"], "models": ["minilm"], "methods": ["lora-attn"], "profile": {"epoch": 1} }""", "$.profile.epoch", "unknown field")]
    [InlineData("""{ "tasks": ["sst2"], "models": ["minilm"], "methods": ["lora-attn"], "failurePolicy": {"maxAttempts": 0} }""", "$.failurePolicy.maxAttempts", "≥ 1")]
    [InlineData("""{ "tasks": ["sst2"], "models": ["minilm"] }""", "$.methods", "required field is missing")]
    [InlineData("""{ "tasks": ["sst2"], "models": ["minilm"], "methods": ["lora-attn"], "profile": {"precision": "fp8"} }""", "$.profile.precision", "precision must be one of fp32, bf16, fp16 (got 'fp8')")]
    [InlineData("""{ "tasks": ["sst2"], "models": ["minilm"], "methods": ["lora-attn"], "profile": {"lowPrecisionBase": true} }""", "$.profile.lowPrecisionBase", "needs precision bf16 or fp16 (got fp32)")]
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
        var tiered = paper.Cells.Where(c => c.Method is "prefix[l=*,mid=800,gate=concat]" or "lora-attn[r=*,alpha=32]" or "houlsby[r=*]" or "mam[l=*,r=*,s=2,mid=800]").ToList();
        Assert.Equal(2 * 2 * 4 * 5, tiered.Count);
        Assert.All(tiered, c => Assert.Equal(0.5, c.BudgetPercent));
    }

    [Fact]
    public void UnknownGridNameOrMissingFileIsAnError()
    {
        var e = Assert.Throws<FileNotFoundException>(() => GridParser.Load("/no/such/grid.json"));
        Assert.Contains("demo-sst2", e.Message);
    }

    private static GridExpansion Expand(string model, string methods, string budgets) =>
        GridParser.Expand(GridParser.Parse($$"""{ "tasks": ["sst2"], "models": ["{{model}}"], "methods": [{{methods}}], "budgets": [{{budgets}}] }"""));

    [Fact]
    public void EverySpellingOfAConfigurationIsOneCell()
    {
        var x = Expand("minilm", "\"mam\", \"MAM\", \"mam[r=16,l=16,s=2]\", \"mam[s=2.0,l=16,r=16,mid=800]\"", "null");
        var cell = Assert.Single(x.Request.Cells);
        Assert.Equal("mam[l=16,r=16,s=2,mid=800]", cell.Method);
        Assert.Equal("task=sst2|model=minilm|method=mam[l=16,r=16,s=2,mid=800]|budget=|seed=42|e=1;n=;v=;t=128;b=32;lr=", cell.Canonical());
        Assert.Contains("appears 4 times", Assert.Single(x.Duplicates));
    }

    [Fact]
    public void DifferentConfigurationsAreDifferentCells()
    {
        var x = Expand("minilm", "\"mam\", \"mam[s=4]\", \"mam[l=30]\", \"mam[mid=0]\", \"prefix|scaled-pa\", \"scaled-pa[s=learned]\", \"lora-attn\", \"lora-attn[alpha=16]\"", "null");
        Assert.Equal(8, x.Request.Cells.Select(c => c.CellId).Distinct().Count());
        Assert.Empty(x.Duplicates);
    }

    [Fact]
    public void AtATierSizesSolvedOnAKnownShapeAreTheSameCellAsSizesWritten()
    {
        // On minilm, mam solves to l = r = 12 at 0.5 % (112,827 / 9,216 per size = 12.2) and lora-attn to r = 2, alpha = 4 at 0.1 %;
        // mam[l=12,r=12] at 0.1 % and lora-attn[r=2,alpha=4] at 0.5 % are other configurations (and unreachable tiers).
        var x = Expand("minilm", "\"mam\", \"mam[l=12,r=12]\", \"lora-attn\", \"lora-attn[r=2,alpha=4]\"", "0.1, 0.5");
        Assert.Equal(
            ["lora-attn[r=*,alpha=32]@0.1", "lora-attn[r=*,alpha=32]@0.5", "lora-attn[r=2,alpha=4]@0.5",
             "mam[l=*,r=*,s=2,mid=800]@0.1", "mam[l=*,r=*,s=2,mid=800]@0.5", "mam[l=12,r=12,s=2,mid=800]@0.1"],
            x.Request.Cells.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Method}@{c.BudgetPercent}")).Order(StringComparer.Ordinal));
        Assert.Equal(2, x.Duplicates.Count);
        Assert.Contains("method=mam[l=12,r=12,s=2,mid=800]|budget=0.5|", x.Request.Cells.Single(c => c.Method.StartsWith("mam[l=*") && c.BudgetPercent == 0.5).Canonical());
    }

    [Fact]
    public void OnAnUnknownShapeFreeSizesStayMarked()
    {
        var x = Expand("/checkpoints/my-bert", "\"mam\", \"MAM[l=*]\", \"mam[l=12,r=12]\"", "0.5");
        Assert.Equal(2, x.Request.Cells.Count);
        Assert.Contains("method=mam[l=*,r=*,s=2,mid=800]|budget=0.5|", x.Request.Cells[0].Canonical());
        Assert.Contains("method=mam[l=12,r=12,s=2,mid=800]|budget=0.5|", x.Request.Cells[1].Canonical());
    }

    [Fact]
    public void PrecisionIsAProfileKeyAndEntersTheCellIdOnlyWhenNotFp32()
    {
        static TrialSpec Cell(string profile) => Assert.Single(GridParser.Expand(GridParser.Parse(
            $$"""{ "tasks": ["sst2"], "models": ["minilm"], "methods": ["lora-attn"], "profile": {{profile}} }""")).Request.Cells);
        Assert.Equal(Cell("{}").CellId, Cell("""{ "precision": "fp32" }""").CellId);
        var bf16 = Cell("""{ "precision": "bf16", "lowPrecisionBase": true }""");
        Assert.Equal((TrainingPrecision.Bf16, true), (bf16.Profile.Precision, bf16.Profile.LowPrecisionBase));
        Assert.EndsWith("|e=1;n=;v=;t=128;b=32;lr=;p=bf16;lpb=1", bf16.Canonical());
    }
}
