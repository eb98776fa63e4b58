using System.Text;
using System.Text.Json;

namespace PeftGrid.Tasks.Seq2Seq;

/// <summary>
/// Reads XSum / WMT16 JSON-lines split files (the HF <c>xsum</c> and <c>wmt16</c> <c>ro-en</c> layouts): one JSON object per
/// line, the source, target and id taken from the fields named by <see cref="Seq2SeqTaskSettings"/> (a dotted name is a nested
/// field: <c>translation.en</c>). Text is kept exactly as in the file (XSum's <c>Â£</c> encoding damage stays). A bad row is
/// never silently lost: it is left out and listed in <see cref="Seq2SeqSplit.Dropped"/> as <c>xsum/train.jsonl:17: reason</c>
/// (path relative to the data root, <c>/</c>-separated, 1-based line).
/// </summary>
public static class Seq2SeqJsonlReader
{
    /// <summary>Reads split file <paramref name="file"/> (e.g. <c>train.jsonl</c>) of <paramref name="task"/> under
    /// <paramref name="dataRoot"/>, i.e. <c>&lt;dataRoot&gt;/&lt;task.Entry.Folder&gt;/&lt;file&gt;</c>.</summary>
    /// <param name="dataRoot">The data root (e.g. <c>../shared/data</c>).</param>
    /// <param name="task">The task: folder and field names.</param>
    /// <param name="file">The split file name inside the task folder.</param>
    /// <returns>The good rows in file order and one <c>file:line: reason</c> entry per row left out, in file order. Reasons:
    /// <c>blank line</c>; <c>not UTF-8 text</c>; <c>not JSON (byte N)</c>; <c>not a JSON object (got array)</c>; <c>missing field 'summary'</c>;
    /// <c>field 'summary' is a number, not a string</c>; <c>field 'translation' is a string, not an object</c>;
    /// <c>field 'summary' is empty</c>; <c>field 'summary' is whitespace only</c> (several joined by <c>; </c>).</returns>
    /// <exception cref="FileNotFoundException">The file does not exist; the message names its path.</exception>
    public static Seq2SeqSplit Read(string dataRoot, Seq2SeqTaskSettings task, string file)
    {
        ArgumentNullException.ThrowIfNull(task);
        var path = Path.Combine(dataRoot, task.Entry.Folder, file);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"{task.Entry.Name} split file not found: {Path.GetFullPath(path)} (expected <data root>/{task.Entry.Folder}/{file})", path);
        }
        var display = $"{task.Entry.Folder}/{file}".Replace('\\', '/');
        var examples = new List<Seq2SeqExample>();
        var dropped = new List<string>();
        var lineNumber = 0;
        foreach (var (line, reason) in Lines(File.ReadAllBytes(path)))
        {
            lineNumber++;
            var (example, why) = line is null ? (null, reason) : ParseLine(line, lineNumber, task);
            if (example is not null) examples.Add(example);
            else dropped.Add($"{display}:{lineNumber}: {why}");
        }
        return new Seq2SeqSplit(examples, dropped);
    }

    /// <summary>The training split: <see cref="Read"/> of the task's <c>TrainFile</c>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static Seq2SeqSplit ReadTrain(string dataRoot, Seq2SeqTaskSettings task) => Read(dataRoot, task, task.Entry.TrainFile);

    /// <summary>The evaluation split: <see cref="Read"/> of the task's <c>EvalFile</c>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static Seq2SeqSplit ReadEval(string dataRoot, Seq2SeqTaskSettings task) => Read(dataRoot, task, task.Entry.EvalFile);

    /// <summary>The lines of a UTF-8 file (an optional BOM skipped; <c>\n</c> or <c>\r\n</c> ends a line; a final line break
    /// does not open an empty line), each as text, or as null with the reason when its bytes are not valid UTF-8.</summary>
    private static IEnumerable<(string? Line, string Reason)> Lines(byte[] bytes)
    {
        var start = bytes.AsSpan().StartsWith(Utf8.Preamble) ? Utf8.Preamble.Length : 0;
        while (start < bytes.Length)
        {
            var end = Array.IndexOf(bytes, (byte)'\n', start);
            var next = end < 0 ? bytes.Length : end + 1;
            var length = (end < 0 ? bytes.Length : end) - start;
            if (length > 0 && bytes[start + length - 1] == (byte)'\r') length--;
            yield return Decode(bytes, start, length);
            start = next;
        }
    }

    private static (string? Line, string Reason) Decode(byte[] bytes, int start, int length)
    {
        try
        {
            return (Utf8.GetString(bytes, start, length), "");
        }
        catch (DecoderFallbackException)
        {
            return (null, "not UTF-8 text");
        }
    }

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: true, throwOnInvalidBytes: true);

    /// <summary>The example of one line, or null and the reason it is left out.</summary>
    private static (Seq2SeqExample? Example, string Reason) ParseLine(string line, int lineNumber, Seq2SeqTaskSettings task)
    {
        if (string.IsNullOrWhiteSpace(line)) return (null, "blank line");
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException e)
        {
            return (null, $"not JSON (byte {e.BytePositionInLine ?? 0})");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return (null, $"not a JSON object (got {Kind(root.ValueKind)})");
            var problems = new List<string>();
            var source = Text(root, task.SourceField, problems);
            var target = Text(root, task.TargetField, problems);
            var id = task.IdField is null ? lineNumber.ToString(System.Globalization.CultureInfo.InvariantCulture) : Text(root, task.IdField, problems);
            return problems.Count > 0 ? (null, string.Join("; ", problems.Distinct())) : (new Seq2SeqExample(id!, source!, target!, lineNumber), "");
        }
    }

    /// <summary>The non-blank string at dotted <paramref name="field"/>, or null with the problem added.</summary>
    private static string? Text(JsonElement root, string field, List<string> problems)
    {
        var element = root;
        var parts = field.Split('.');
        for (var i = 0; i < parts.Length; i++)
        {
            if (element.ValueKind != JsonValueKind.Object)
            {
                problems.Add($"field '{string.Join('.', parts[..i])}' is {Article(element.ValueKind)}, not an object");
                return null;
            }
            if (!element.TryGetProperty(parts[i], out element))
            {
                problems.Add($"missing field '{field}'");
                return null;
            }
        }
        if (element.ValueKind != JsonValueKind.String)
        {
            problems.Add($"field '{field}' is {Article(element.ValueKind)}, not a string");
            return null;
        }
        var text = element.GetString()!;
        if (text.Length == 0) problems.Add($"field '{field}' is empty");
        else if (string.IsNullOrWhiteSpace(text)) problems.Add($"field '{field}' is whitespace only");
        else return text;
        return null;
    }

    private static string Kind(JsonValueKind kind) => kind switch
    {
        JsonValueKind.True or JsonValueKind.False => "boolean",
        _ => kind.ToString().ToLowerInvariant(),
    };

    private static string Article(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Null => "null",
        JsonValueKind.Array or JsonValueKind.Object => "an " + Kind(kind),
        _ => "a " + Kind(kind),
    };
}
