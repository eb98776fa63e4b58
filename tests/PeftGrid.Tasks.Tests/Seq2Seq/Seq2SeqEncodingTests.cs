using PeftGrid.Tasks.Seq2Seq;
using PeftGrid.Tasks.Text;

namespace PeftGrid.Tasks.Tests.Seq2Seq;

public class Seq2SeqEncodingTests
{
    [Fact]
    public void ARealXSumRowIsTruncatedToTheMaxLengthsKeepingTheTrailingSep()
    {
        var tokenizer = WordPieceSeq2SeqEncoder.MiniLm();
        var row = Seq2SeqJsonlReader.ReadTrain(TestData.Root, Seq2SeqTaskSettings.XSum).Examples[0];
        var full = Seq2SeqEncoding.Encode([row], tokenizer, 100_000, 100_000)[0];
        var cut = Seq2SeqEncoding.Encode([row], tokenizer, 64, 16)[0];
        var paper = Seq2SeqEncoding.Encode([row], tokenizer, 512, 128)[0];

        // Untruncated, the first train document is 1,302 WordPiece pieces + [CLS] + [SEP] and its summary 30 pieces + [SEP]
        // (measured with this tokenizer).
        Assert.Equal((1304, 31), (full.Source.Length, full.Labels.Length));
        Assert.Equal((64, 16), (cut.Source.Length, cut.Labels.Length));
        // The paper's 512 / 128 cut the document and leave the 31-token summary whole.
        Assert.Equal((512, 31), (paper.Source.Length, paper.Labels.Length));
        Assert.Equal(full.Labels, paper.Labels);
        // [CLS] + the first 62 pieces + [SEP]; labels: the first 15 pieces + [SEP].
        Assert.Equal([.. full.Source[..63], 102], cut.Source);
        Assert.Equal([.. full.Labels[..15], 102], cut.Labels);
    }

    [Fact]
    public void ALengthBelowTheTokenizerMinimumNamesTheParameter()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            Seq2SeqEncoding.Encode([new Seq2SeqExample("1", "a", "b", 1)], WordPieceSeq2SeqEncoder.MiniLm(), 512, 2));
        Assert.Equal("maxTargetLength", e.ParamName);
        Assert.StartsWith("maxTargetLength must be at least 3 tokens", e.Message, StringComparison.Ordinal);
    }
}
