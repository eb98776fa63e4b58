using PeftGrid.Peft.Catalog;
using Xunit;

namespace PeftGrid.Peft.Spec.Tests.Catalog;

public class CellCheckTests
{
    [Fact]
    public void A_valid_cell_resolves_to_its_entries_and_solved_configuration()
    {
        var cell = CellCheck.Check("SST-2", "all-minilm-l6-v2", "lora-attn", 0.5, 128);
        Assert.Same(TaskCatalog.Sst2, cell.Task);
        Assert.Same(ModelCatalog.MiniLM, cell.Model);
        Assert.Equal("minilm", cell.ModelName);
        Assert.Equal("lora-attn[r=12,alpha=24]", cell.Config.Spec); // s = 32/16 = 2 kept: alpha = 2·12; 4·r·d·L = 4·12·384·6 = 110,592 = 0.490 % of 22,565,376
        Assert.Equal(110_592, cell.Solution!.Counts.PaperCount);
    }

    [Fact]
    public void A_checkpoint_path_is_accepted_without_a_shape_so_its_budget_is_solved_where_it_loads()
    {
        var cell = CellCheck.Check("mnli", "/models/my-bert", "lora-attn", 0.5, 4096);
        Assert.Null(cell.Model);
        Assert.Null(cell.Solution);
        Assert.Equal("/models/my-bert", cell.ModelName);
    }

    [Theory]
    [InlineData("cola", "minilm", "lora-attn", 0.5, 128, "unknown task 'cola'; allowed: sst2 (sst-2), mnli, mnli-mm, xsum, wmt16-en-ro")]
    [InlineData("sst2", "gpt9", "lora-attn", 0.5, 128, "unknown model 'gpt9'; allowed: minilm")]
    [InlineData("xsum", "minilm", "lora-attn", 0.5, 128, "model 'minilm' (Encoder) cannot run task 'xsum' (Seq2Seq); it runs Classification tasks")]
    [InlineData("sst2", "minilm", "lora-attn", 0.5, 513, "max length 513 is beyond minilm's 512 positions (max_position_embeddings 512); allowed: at most 512")]
    [InlineData("sst2", "roberta-base", "lora-attn", 0.5, 514, "max length 514 is beyond roberta-base's 512 positions (max_position_embeddings 514 minus the padding offset 2)")]
    [InlineData("sst2", "minilm", "lorax", null, 128, "unknown method preset 'lorax'")]
    [InlineData("sst2", "minilm", "bitfit", 5.0, 128, "cannot reach 5%")]
    [InlineData("sst2", "minilm", "pa-ffn[r=999]", null, 128, "r=999 is larger than the model's hidden size d=384")]
    public void A_cell_invalid_on_every_machine_is_refused_with_one_line(string task, string model, string method, double? budget, int maxLength, string expected)
    {
        var refusal = CellCheck.Refusal(task, model, method, budget, maxLength);
        Assert.NotNull(refusal);
        Assert.Contains(expected, refusal);
        Assert.DoesNotContain('\n', refusal);
    }

    [Fact]
    public void The_longest_allowed_input_is_the_models_position_count()
    {
        Assert.Null(CellCheck.Refusal("sst2", "minilm", "lora-attn", 0.5, 512));
        Assert.Null(CellCheck.Refusal("sst2", "roberta-base", "lora-attn", 0.5, 512));
    }
}
