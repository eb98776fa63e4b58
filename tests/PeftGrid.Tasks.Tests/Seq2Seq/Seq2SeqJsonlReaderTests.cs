using PeftGrid.Tasks.Seq2Seq;

namespace PeftGrid.Tasks.Tests.Seq2Seq;

public class Seq2SeqJsonlReaderTests
{
    /// <summary>A temp data root holding <c>&lt;task folder&gt;/&lt;file&gt;</c> with <paramref name="text"/>.</summary>
    internal static string TempRoot(Seq2SeqTaskSettings task, string file, string text)
    {
        var root = Path.Combine(Path.GetTempPath(), "peftgrid-s2s-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path.Combine(root, task.Entry.Folder));
        File.WriteAllText(Path.Combine(root, task.Entry.Folder, file), text);
        return root;
    }

    [Fact]
    public void RealXSumReadsAll900And100RowsWithNoneDropped()
    {
        // Counted beforehand with Python's json module: 900 / 100 lines, every one an object with non-blank string fields.
        var train = Seq2SeqJsonlReader.ReadTrain(TestData.Root, Seq2SeqTaskSettings.XSum);
        var eval = Seq2SeqJsonlReader.ReadEval(TestData.Root, Seq2SeqTaskSettings.XSum);
        Assert.Equal(900, train.Examples.Count);
        Assert.Empty(train.Dropped);
        Assert.Equal(100, eval.Examples.Count);
        Assert.Empty(eval.Dropped);
        // The last train line of the shared file is {"document": ..., "summary": ..., "id": "34171159"}.
        Assert.Equal("34171159", train.Examples[^1].Id);
        Assert.Equal(900, train.Examples[^1].Line);
        Assert.Equal(Enumerable.Range(1, 900), train.Examples.Select(e => e.Line));
        // The encoding damage of the real data is kept, not repaired.
        Assert.Contains(train.Examples, e => e.Source.Contains("Â£", StringComparison.Ordinal));
    }

    [Fact]
    public void RealEnRoReadsAll1799And200RowsWithNoneDroppedAndLineNumbersAsIds()
    {
        var train = Seq2SeqJsonlReader.ReadTrain(TestData.Root, Seq2SeqTaskSettings.EnRo);
        var eval = Seq2SeqJsonlReader.ReadEval(TestData.Root, Seq2SeqTaskSettings.EnRo);
        Assert.Equal(1799, train.Examples.Count);
        Assert.Empty(train.Dropped);
        Assert.Equal(200, eval.Examples.Count);
        Assert.Empty(eval.Dropped);
        Assert.Equal("1", train.Examples[0].Id);
        Assert.Equal("1799", train.Examples[^1].Id);
    }

    [Fact]
    public void EveryKindOfBadRowIsReportedWithFileAndLineAndTheGoodRowsAreKept()
    {
        string[] lines =
        [
            """{"document": "d1", "summary": "s1", "id": "a"}""",
            "",
            "{not json",
            """["document", "summary"]""",
            """{"document": "d5", "id": "e"}""",
            """{"document": "d6", "summary": 7, "id": "f"}""",
            """{"document": "", "summary": "s7", "id": "g"}""",
            """{"document": " \t ", "summary": "s8", "id": "h"}""",
            """{"document": "d9", "summary": null, "id": "i"}""",
            """{"summary": "", "id": "j"}""",
            """{"document": "  d11 Â£ ", "summary": "s11", "id": "k"}""",
        ];
        var root = TempRoot(Seq2SeqTaskSettings.XSum, "train.jsonl", string.Join("\n", lines) + "\n");
        var split = Seq2SeqJsonlReader.Read(root, Seq2SeqTaskSettings.XSum, "train.jsonl");

        Assert.Equal(
        [
            "xsum/train.jsonl:2: blank line",
            "xsum/train.jsonl:3: not JSON (byte 1)",
            "xsum/train.jsonl:4: not a JSON object (got array)",
            "xsum/train.jsonl:5: missing field 'summary'",
            "xsum/train.jsonl:6: field 'summary' is a number, not a string",
            "xsum/train.jsonl:7: field 'document' is empty",
            "xsum/train.jsonl:8: field 'document' is whitespace only",
            "xsum/train.jsonl:9: field 'summary' is null, not a string",
            "xsum/train.jsonl:10: missing field 'document'; field 'summary' is empty",
        ], split.Dropped);
        Assert.Equal(
        [
            new Seq2SeqExample("a", "d1", "s1", 1),
            new Seq2SeqExample("k", "  d11 Â£ ", "s11", 11),
        ], split.Examples);
    }

    [Fact]
    public void NestedFieldsAreReadAndAMissingOrMistypedNestedFieldIsNamed()
    {
        string[] lines =
        [
            """{"translation": {"en": "Hello", "ro": "Bună"}}""",
            """{"translation": {"en": "Hello"}}""",
            """{"translation": "en-ro"}""",
            """{"en": "Hello", "ro": "Bună"}""",
        ];
        var root = TempRoot(Seq2SeqTaskSettings.EnRo, "validation.jsonl", string.Join("\r\n", lines));
        var split = Seq2SeqJsonlReader.ReadEval(root, Seq2SeqTaskSettings.EnRo);

        Assert.Equal([new Seq2SeqExample("1", "Hello", "Bună", 1)], split.Examples);
        Assert.Equal(
        [
            "wmt16-ro-en/validation.jsonl:2: missing field 'translation.ro'",
            "wmt16-ro-en/validation.jsonl:3: field 'translation' is a string, not an object",
            "wmt16-ro-en/validation.jsonl:4: missing field 'translation.en'; missing field 'translation.ro'",
        ], split.Dropped);
    }

    [Fact]
    public void ABomIsSkippedCrLfEndsALineAndInvalidUtf8IsReported()
    {
        var good = "{\"document\": \"d\", \"summary\": \"s\", \"id\": \"x\"}"u8.ToArray();
        byte[] bytes =
        [
            0xEF, 0xBB, 0xBF, .. good, (byte)'\r', (byte)'\n',
            .. "{\"document\": \"caf"u8, 0xE9, .. "\", \"summary\": \"s\", \"id\": \"y\"}\n"u8, // Latin-1 é: not UTF-8
            .. good, // the last line has no line break
        ];
        var root = TempRoot(Seq2SeqTaskSettings.XSum, "validation.jsonl", "");
        File.WriteAllBytes(Path.Combine(root, "xsum", "validation.jsonl"), bytes);
        var split = Seq2SeqJsonlReader.ReadEval(root, Seq2SeqTaskSettings.XSum);

        Assert.Equal([1, 3], split.Examples.Select(e => e.Line));
        Assert.All(split.Examples, e => Assert.Equal(("x", "d", "s"), (e.Id, e.Source, e.Target)));
        Assert.Equal(["xsum/validation.jsonl:2: not UTF-8 text"], split.Dropped);
    }

    [Fact]
    public void AMissingFileNamesItsPath()
    {
        var root = Path.Combine(Path.GetTempPath(), "peftgrid-s2s-missing-" + Guid.NewGuid().ToString("N")[..8]);
        var e = Assert.Throws<FileNotFoundException>(() => Seq2SeqJsonlReader.ReadTrain(root, Seq2SeqTaskSettings.XSum));
        Assert.Contains(Path.Combine(root, "xsum", "train.jsonl"), e.Message, StringComparison.Ordinal);
        Assert.Equal(Path.Combine(root, "xsum", "train.jsonl"), e.FileName);
    }
}
