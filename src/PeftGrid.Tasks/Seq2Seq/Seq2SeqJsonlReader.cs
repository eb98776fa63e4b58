namespace PeftGrid.Tasks.Seq2Seq;

/// <summary>Reads XSum / WMT16 JSON-lines split files (STUB: the data helper replaces this file).</summary>
public static class Seq2SeqJsonlReader
{
    /// <summary>Reads split file <paramref name="file"/> (e.g. <c>train.jsonl</c>) of <paramref name="task"/> under <paramref name="dataRoot"/>.</summary>
    public static Seq2SeqSplit Read(string dataRoot, Seq2SeqTaskSettings task, string file) => throw new NotImplementedException();
}
