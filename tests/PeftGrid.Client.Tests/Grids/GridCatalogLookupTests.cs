using PeftGrid.Client.Grids;
using Xunit;

namespace PeftGrid.Client.Tests.Grids;

/// <summary>The grid parser checks tasks and models against the torch-free catalogs and writes them by their canonical names.</summary>
public class GridCatalogLookupTests
{
    [Fact]
    public void Aliases_become_catalog_names_and_checkpoint_paths_stay_as_written()
    {
        var grid = GridParser.Parse("""{ "tasks": ["SST-2", "mnli-mm", "xsum"], "models": ["All-MiniLM-L6-v2", "roberta-base", "./ckpt/My-Bert"], "methods": ["lora-attn"] }""");
        Assert.Equal(["sst2", "mnli-mm", "xsum"], grid.Tasks);
        Assert.Equal(["minilm", "roberta-base", "./ckpt/My-Bert"], grid.Models);
        // sst-2 and sst2 are one cell.
        var a = GridParser.Expand(GridParser.Parse("""{ "tasks": ["sst-2"], "models": ["minilm"], "methods": ["lora-attn"] }"""));
        var b = GridParser.Expand(GridParser.Parse("""{ "tasks": ["sst2"], "models": ["all-minilm-l6-v2"], "methods": ["lora-attn"] }"""));
        Assert.Equal(a.Request.Cells.Single().CellId, b.Request.Cells.Single().CellId);
    }

    [Theory]
    [InlineData("""{ "tasks": ["sst2", "cola"], "models": ["minilm"], "methods": ["lora-attn"] }""",
        "$.tasks[1]: unknown task 'cola'; allowed: sst2 (sst-2), mnli, mnli-mm, xsum, wmt16-en-ro")]
    [InlineData("""{ "task": "sst2", "model": "t5-large", "methods": ["lora-attn"] }""",
        "$.model: unknown model 't5-large'; allowed: minilm (all-minilm-l6-v2), bert-base-uncased, roberta-base, minilm2minilm, bart-base, bart-large, mbart-large-cc25 (mbart-large), or the path of an HF checkpoint folder (containing '/')")]
    public void An_unknown_task_or_model_names_the_json_path_and_lists_the_allowed_values(string json, string expected)
    {
        var e = Assert.Throws<GridFormatException>(() => GridParser.Parse(json));
        Assert.Equal(expected, e.Message);
    }
}
