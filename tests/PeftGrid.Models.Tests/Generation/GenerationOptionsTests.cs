using PeftGrid.Models.Generation;
using Xunit;

namespace PeftGrid.Models.Tests.Generation;

public class GenerationOptionsTests
{
    private static readonly ShapeOnlyBackbone Model = new();

    public static TheoryData<string, GenerationOptions, string> Nonsense => new()
    {
        { "beams 0", new GenerationOptions { NumBeams = 0 }, "NumBeams (num_beams) must be ≥ 1; got 0" },
        { "max 1", new GenerationOptions { MaxLength = 1 }, "MaxLength (max_length) must be 2 … 512" },
        { "max 513", new GenerationOptions { MaxLength = 513 }, "MaxLength (max_length) must be 2 … 512" },
        { "min > max", new GenerationOptions { MaxLength = 20, MinLength = 21 }, "MinLength (min_length) must be 0 … MaxLength = 20; got 21" },
        { "min < 0", new GenerationOptions { MinLength = -1 }, "MinLength (min_length) must be 0 … MaxLength = 20; got -1" },
        { "ngram < 0", new GenerationOptions { NoRepeatNgramSize = -2 }, "NoRepeatNgramSize (no_repeat_ngram_size) must be ≥ 0 (0 = off); got -2" },
        { "lp NaN", new GenerationOptions { LengthPenalty = double.NaN }, "LengthPenalty (length_penalty) must be a finite number; got NaN" },
        { "lp inf", new GenerationOptions { LengthPenalty = double.PositiveInfinity }, "LengthPenalty (length_penalty) must be a finite number" },
        { "return > beams", new GenerationOptions { NumBeams = 2, NumReturnSequences = 3 }, "NumReturnSequences (num_return_sequences) must be 1 … NumBeams = 2; got 3" },
        { "return 0", new GenerationOptions { NumReturnSequences = 0 }, "NumReturnSequences (num_return_sequences) must be 1 … NumBeams = 1; got 0" },
        { "start id", new GenerationOptions { DecoderStartTokenId = 30522 }, "DecoderStartTokenId (decoder_start_token_id) must be a token id in 0 … 30521 (the vocabulary); got 30522" },
        { "bos id", new GenerationOptions { ForcedBosTokenId = -1 }, "ForcedBosTokenId (forced_bos_token_id) must be a token id in 0 … 30521" },
        { "forced eos id", new GenerationOptions { ForcedEosTokenId = 40000 }, "ForcedEosTokenId (forced_eos_token_id) must be a token id in 0 … 30521" },
        { "eos id", new GenerationOptions { EosTokenId = 30522 }, "EosTokenId (eos_token_id) must be a token id in 0 … 30521" },
        { "pad id", new GenerationOptions { PadTokenId = -5 }, "PadTokenId (pad_token_id) must be a token id in 0 … 30521 (the vocabulary); got -5" },
    };

    [Theory]
    [MemberData(nameof(Nonsense))]
    public void Nonsense_options_fail_with_a_one_line_message_naming_the_field(string name, GenerationOptions options, string expected)
    {
        var e = Assert.Throws<ArgumentException>(() => options.Validate(Model));
        Assert.Contains(expected, e.Message);
        Assert.DoesNotContain('\n', e.Message);
        Assert.False(string.IsNullOrEmpty(name));
    }

    [Fact]
    public void Generate_validates_before_touching_the_model()
    {
        using var ids = TorchSharp.torch.zeros(1, 3, TorchSharp.torch.ScalarType.Int64);
        var e = Assert.Throws<ArgumentException>(() => Seq2SeqGenerator.Generate(Model, null, ids, ids, new GenerationOptions { MaxLength = 600 }));
        Assert.Contains("MaxLength (max_length)", e.Message);
    }

    [Fact]
    public void Paper_presets_match_the_scripts_and_are_valid()
    {
        var x = GenerationOptions.XSum.Validate(Model);
        Assert.Equal((6, 10, 60, 3, 1.0), (x.NumBeams, x.MinLength, x.MaxLength, x.NoRepeatNgramSize, x.LengthPenalty));
        var m = GenerationOptions.EnRo;
        Assert.Equal((5, 1, 200, 0, 1.0), (m.NumBeams, m.MinLength, m.MaxLength, m.NoRepeatNgramSize, m.LengthPenalty));
        Assert.Equal(150, GenerationOptions.EnRoTest.MaxLength);
        GenerationOptions.EnRo.Validate(Model);
        GenerationOptions.EnRoTest.Validate(Model);
    }

    [Fact]
    public void Null_token_ids_default_to_the_backbone_tokens()
    {
        var o = new GenerationOptions();
        Assert.Equal((101, 102, 0, (int?)null), (o.StartId(Model), o.EosId(Model), o.PadId(Model), o.ForcedBosId(Model)));
        var p = o with { DecoderStartTokenId = 5, EosTokenId = 6, PadTokenId = 7, ForcedBosTokenId = 8 };
        Assert.Equal((5, 6, 7, (int?)8), (p.StartId(Model), p.EosId(Model), p.PadId(Model), p.ForcedBosId(Model)));
    }
}
