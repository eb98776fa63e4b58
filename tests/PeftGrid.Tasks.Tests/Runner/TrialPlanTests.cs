using PeftGrid.Contracts.Trials;
using PeftGrid.Peft.Catalog;
using PeftGrid.Tasks.Runner;

namespace PeftGrid.Tasks.Tests.Runner;

public class TrialPlanTests
{
    private static TrialSpec Spec(int maxLength) => new()
    {
        Task = "sst2", Model = "minilm", Method = "lora-attn", Seed = 1, Profile = new TrainingProfile { MaxLength = maxLength },
    };

    [Fact]
    public void Max_length_up_to_the_position_embeddings_is_accepted_and_one_more_is_refused()
    {
        Assert.Equal(512, TrialPlan.Create(Spec(512), TestData.Root).Spec.Profile.MaxLength);
        var e = Assert.Throws<ArgumentException>(() => TrialPlan.Create(Spec(513), TestData.Root));
        Assert.Equal("max length 513 is beyond minilm's 512 positions (max_position_embeddings 512); allowed: at most 512", e.Message);
    }

    [Theory]
    [InlineData("minilm", 512)]
    [InlineData("bert-base-uncased", 512)]
    [InlineData("roberta-base", 512)]   // 514 rows, the first two reserved (padding_idx + 1 = 2)
    public void Usable_positions_are_the_rows_minus_the_position_offset(string model, int expected)
    {
        Assert.Equal(expected, ModelCatalog.Find(model).MaxSequenceLength);
        Assert.Null(CellCheck.Refusal("sst2", model, "lora-attn", null, expected));
        Assert.StartsWith($"max length {expected + 1} is beyond {model}'s {expected} positions", CellCheck.Refusal("sst2", model, "lora-attn", null, expected + 1));
    }

    [Fact]
    public void The_roberta_message_names_the_padding_offset()
    {
        Assert.Equal("max length 514 is beyond roberta-base's 512 positions (max_position_embeddings 514 minus the padding offset 2); allowed: at most 512",
            CellCheck.Refusal("sst2", "roberta-base", "lora-attn", null, 514));
    }

    [Fact]
    public void Precision_enters_the_cell_id_only_when_not_fp32_and_a_low_precision_base_needs_bf16_or_fp16()
    {
        var fp32 = Spec(64);
        var bf16 = fp32 with { Profile = fp32.Profile with { Precision = TrainingPrecision.Bf16 } };
        var lpb = fp32 with { Profile = fp32.Profile with { Precision = TrainingPrecision.Fp16, LowPrecisionBase = true } };
        Assert.Equal("e=1;n=;v=;t=64;b=32;lr=", fp32.Profile.Canonical());
        Assert.Equal("e=1;n=;v=;t=64;b=32;lr=;p=bf16", bf16.Profile.Canonical());
        Assert.Equal("e=1;n=;v=;t=64;b=32;lr=;p=fp16;lpb=1", lpb.Profile.Canonical());
        Assert.NotEqual(fp32.CellId, bf16.CellId);
        Assert.Equal(TrainingPrecision.Bf16, TrialPlan.Create(bf16, TestData.Root).Spec.Profile.Precision);
        var e = Assert.Throws<ArgumentException>(() => TrialPlan.Create(fp32 with { Profile = fp32.Profile with { LowPrecisionBase = true } }, TestData.Root));
        Assert.Equal("low precision base (--low-precision-base, grid key lowPrecisionBase) needs precision bf16 or fp16 (got fp32)", e.Message);
    }
}
