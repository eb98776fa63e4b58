using PeftGrid.Client.Grids;
using PeftGrid.Contracts.Trials;
using PeftGrid.Peft.Catalog;
using Xunit;

namespace PeftGrid.Client.Tests.Grids;

/// <summary>The built-in seq2seq grids: exact cell counts, seeds, profiles, and every cell valid on every machine (<see cref="CellCheck"/>).</summary>
public sealed class Seq2SeqGridTests
{
    private static readonly int[] PaperSeeds = [42, 15217, 65537];

    private static IReadOnlyList<TrialSpec> Cells(string name, out IReadOnlyList<string> duplicates)
    {
        var expansion = GridParser.Expand(GridParser.Load(name));
        duplicates = expansion.Duplicates;
        return expansion.Request.Cells;
    }

    private static void AllValid(IReadOnlyList<TrialSpec> cells) =>
        Assert.All(cells, c => CellCheck.Check(c.Task, c.Model, c.Method, c.BudgetPercent, c.Profile.MaxLength));

    [Fact]
    public void PaperXSumHoldsTheTablesAtTheirSizesAndSeeds()
    {
        var cells = Cells("paper-xsum", out var duplicates);
        Assert.Empty(duplicates); // each configuration once, even where several tables share it
        // 24 single-seed configurations (full, bitfit, prompt, prefix ×4, sa-attn ×2, sa-ffn ×4, pa-attn ×2, pa-ffn ×2, lora-attn ×4,
        // lora-ffn s=1, scaled-pa ×2) + 6 three-seed Table 6 rows = 24 + 18 = 42
        Assert.Equal(42, cells.Count);
        Assert.Equal(30, cells.Select(c => c.Method).Distinct().Count());
        Assert.All(cells, c => Assert.Equal(("xsum", "bart-large", (double?)null), (c.Task, c.Model, c.BudgetPercent)));
        Assert.Equal(24 + 6, cells.Count(c => c.Seed == 42));
        Assert.Equal(6, cells.Count(c => c.Seed == 15217));
        Assert.Equal(6, cells.Count(c => c.Seed == 65537));
        var mam = cells.Where(c => c.Method.StartsWith("mam[", StringComparison.Ordinal)).ToList();
        Assert.Equal(PaperSeeds, mam.Select(c => c.Seed).Order());
        Assert.Equal("mam[l=30,r=512,s=4,mid=800]", mam[0].Method);
        Assert.Contains(cells, c => c.Method == "lora-ffn[r=102,alpha=408]" && c.Seed == 65537);
        Assert.Contains(cells, c => c.Method == "scaled-pa[r=512,s=learned]");
        var p = cells[0].Profile;
        Assert.Equal((512, 128, 64, 1600, (double?)5e-5, (int?)null), (p.MaxLength, p.MaxTargetLength, p.BatchSize, p.MaxEvalExamples, p.LearningRate, p.MaxTokensPerBatch));
        AllValid(cells);
    }

    [Fact]
    public void PaperEnRoHoldsTheTablesAtTheirSizesAndSeeds()
    {
        var cells = Cells("paper-en-ro", out var duplicates);
        Assert.Empty(duplicates);
        // 26 single-seed configurations (full, bitfit, prompt, prefix ×4, prefix-nogate, mh-pa ×2, sa-attn ×2, sa-ffn ×4, pa-attn ×3,
        // pa-ffn ×3, lora-attn ×4) + 6 three-seed Table 6 rows = 26 + 18 = 44
        Assert.Equal(44, cells.Count);
        Assert.Equal(32, cells.Select(c => c.Method).Distinct().Count());
        Assert.All(cells, c => Assert.Equal(("wmt16-en-ro", "mbart-large-cc25"), (c.Task, c.Model)));
        Assert.Equal(6, cells.Count(c => c.Seed == 65537));
        Assert.Contains(cells, c => c.Method.StartsWith("mh-pa[r=30", StringComparison.Ordinal));
        Assert.Contains(cells, c => c.Method.StartsWith("prefix-nogate[l=30", StringComparison.Ordinal));
        var p = cells[0].Profile;
        Assert.Equal((150, (int?)150, (int?)4096, (int?)1600), (p.MaxLength, p.MaxTargetLength, p.MaxTokensPerBatch, p.MaxEvalExamples));
        AllValid(cells);
    }

    [Fact]
    public void DemoXSumIsSixPresetsAtTwoTiersPlusFull()
    {
        var cells = Cells("demo-xsum", out var duplicates);
        Assert.Empty(duplicates);
        Assert.Equal(6 * 2 + 1, cells.Count);
        Assert.Equal(6, cells.Count(c => c.BudgetPercent == 0.5));
        Assert.Equal(6, cells.Count(c => c.BudgetPercent == 2));
        Assert.Single(cells, c => c.Method == "full" && c.BudgetPercent is null);
        Assert.All(cells, c => Assert.Equal(("xsum", "minilm2minilm", 42), (c.Task, c.Model, c.Seed)));
        var p = cells[0].Profile;
        Assert.Equal((1, (int?)256, (int?)40, 128, (int?)48, 8), (p.Epochs, p.MaxTrainExamples, p.MaxEvalExamples, p.MaxLength, p.MaxTargetLength, p.BatchSize));
        AllValid(cells);
    }

    [Fact]
    public void ProfileAcceptsTargetLengthAndTokensPerBatchAndMethodSeeds()
    {
        var grid = GridParser.Parse("""
        { "tasks": ["wmt16-en-ro"], "models": ["minilm2minilm"], "methods": ["lora-attn[r=8]", { "method": "prefix[l=4]", "seeds": [1, 2, 3] }],
          "seeds": [7], "profile": { "maxTargetLength": 64, "maxTokensPerBatch": 2048 } }
        """);
        Assert.Equal((int?)64, grid.Profile.MaxTargetLength);
        Assert.Equal((int?)2048, grid.Profile.MaxTokensPerBatch);
        var cells = GridParser.Expand(grid).Request.Cells;
        Assert.Equal([1, 2, 3, 7], cells.Select(c => c.Seed).Order());
    }

    [Theory]
    [InlineData("""{ "tasks": ["xsum"], "models": ["minilm2minilm"], "methods": ["lora-attn"], "profile": { "maxTargetLength": 2 } }""", "$.profile.maxTargetLength", "≥ 4")]
    [InlineData("""{ "tasks": ["xsum"], "models": ["minilm2minilm"], "methods": [{ "method": "lora-attn", "seed": [1] }] }""", "$.methods[0].seed", "unknown field")]
    public void BadSeq2SeqFieldsNameTheirPath(string json, string path, string message)
    {
        var e = Assert.Throws<GridFormatException>(() => GridParser.Parse(json));
        Assert.Equal(path, e.JsonPath);
        Assert.Contains(message, e.Message);
    }
}
