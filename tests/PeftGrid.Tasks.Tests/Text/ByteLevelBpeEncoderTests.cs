using System.Text.Json;
using PeftGrid.Tasks.Text;

namespace PeftGrid.Tasks.Tests.Text;

public class ByteLevelBpeEncoderTests
{
    private static readonly Lazy<ByteLevelBpeEncoder> Lazy = new(() => ByteLevelBpeEncoder.FromFolder(Path.Combine(TestData.Root, "tokenizers", "roberta-base")));
    private static ByteLevelBpeEncoder Bart => Lazy.Value;

    [Fact]
    public void Hello_world_is_bos_hello_world_eos_with_no_prefix_space()
    {
        Assert.Equal([0, 31414, 232, 2], Bart.EncodeSource("Hello world", 1024));
        Assert.Equal([0, 31414, 232, 2], Bart.EncodeTarget("Hello world", 1024));
        Assert.Equal([0, 20920, 232, 2], Bart.EncodeSource(" Hello world", 1024)); // a written space is kept: 'ĠHello' 20920
    }

    [Fact]
    public void Special_ids_and_decoder_start_are_bart_large_config()
    {
        Assert.Equal((0, 1, 2, 3, 50264, 50265), (Bart.BosId, Bart.PadId, Bart.EosId, Bart.UnknownId, Bart.MaskId, Bart.VocabularySize));
        Assert.Equal(2, Bart.DecoderStartId);
        Assert.Equal(0, Bart.ForcedBosId);
        Assert.Equal([2, 0, 31414, 232], Bart.DecoderInput(Bart.EncodeTarget("Hello world", 1024)));
    }

    [Fact]
    public void Special_token_strings_in_the_text_keep_their_ids_and_mask_strips_the_space_before_it()
    {
        Assert.Equal([0, 1178, 2], Bart.Pieces("<s>x</s>"));
        Assert.Equal([102, 50264, 741], Bart.Pieces("a <mask> b")); // HF lstrip=True: not [102, 1437, 50264, 741]
        Assert.Equal([102, 1437], Bart.Pieces("a "));
    }

    [Fact]
    public void Truncation_keeps_bos_and_eos()
    {
        // "Hello world, this is long" = 31414 232 6 42 16 251
        Assert.Equal([0, 31414, 232, 2], Bart.EncodeSource("Hello world, this is long", 4));
        Assert.Equal([0, 31414, 232, 6, 42, 16, 251, 2], Bart.EncodeSource("Hello world, this is long", 8));
        Assert.Equal([0, 31414, 2], Bart.EncodeTarget("Hello world, this is long", 3));
        var e = Assert.Throws<ArgumentException>(() => Bart.EncodeSource("Hello", 2));
        Assert.StartsWith("maxLength must be at least 3 tokens (special tokens + 1) (got 2)", e.Message);
    }

    [Fact]
    public void Decode_skips_special_tokens_or_shows_them()
    {
        Assert.Equal("Hello world", Bart.Decode([2, 0, 31414, 232, 2, 1, 1]));
        Assert.Equal("<s>Hello world</s>", Bart.Decode([0, 31414, 232, 2], skipSpecialTokens: false));
        Assert.True(Bart.IsSpecial(50264) && !Bart.IsSpecial(232));
        var e = Assert.Throws<ArgumentException>(() => Bart.Decode([0, 50265]));
        Assert.StartsWith("token id 50265 is outside the vocabulary [0, 50265)", e.Message);
    }

    [Fact]
    public void Missing_files_are_named()
    {
        var e = Assert.Throws<FileNotFoundException>(() => ByteLevelBpeEncoder.FromFolder("/nonexistent-bpe"));
        Assert.Contains("/nonexistent-bpe/vocab.json", e.Message);
    }

    // decode(encode(x)) = x for the 1,000 documents and 1,000 summaries of the shared XSum (~515k tokens; about 3 s).
    [Fact]
    public void Round_trip_is_exact_on_every_xsum_document_and_summary()
    {
        var texts = 0;
        foreach (var split in new[] { "train", "validation" })
        {
            foreach (var line in File.ReadLines(Path.Combine(TestData.Root, "xsum", split + ".jsonl")))
            {
                var row = JsonDocument.Parse(line).RootElement;
                foreach (var field in new[] { "document", "summary" })
                {
                    var text = row.GetProperty(field).GetString()!;
                    var ids = Bart.EncodeSource(text, int.MaxValue);
                    Assert.Equal((0, 2), (ids[0], ids[^1]));
                    Assert.Equal(text, Bart.Decode(ids));
                    texts++;
                }
            }
        }
        Assert.Equal(2000, texts);
    }
}
