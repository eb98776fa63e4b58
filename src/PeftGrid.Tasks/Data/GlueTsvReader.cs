using System.Text;

namespace PeftGrid.Tasks.Data;

/// <summary>
/// Reads GLUE TSV files (tab-separated, one header row, no quoting: MNLI text contains quote characters
/// that are data). Columns are found by header name, so the 7-column and the 16-column MNLI layouts both work.
/// </summary>
public static class GlueTsvReader
{
    /// <summary>Reads the training split of <paramref name="task"/> under <paramref name="dataRoot"/>.</summary>
    /// <exception cref="DirectoryNotFoundException">The data root or the task folder is missing.</exception>
    /// <exception cref="FileNotFoundException">The split file is missing.</exception>
    /// <exception cref="InvalidDataException">A malformed row, an unknown label or an empty split (the message names file and line).</exception>
    public static IReadOnlyList<GlueExample> ReadTrain(string dataRoot, GlueTask task) => ReadSplit(dataRoot, task, task.TrainFile);

    /// <summary>Reads the evaluation split of <paramref name="task"/> (see <see cref="ReadTrain"/> for errors).</summary>
    public static IReadOnlyList<GlueExample> ReadDev(string dataRoot, GlueTask task) => ReadSplit(dataRoot, task, task.DevFile);

    /// <summary>The path of a split file, checking that the data root, the task folder and the file exist.</summary>
    /// <exception cref="DirectoryNotFoundException">The data root or the task folder is missing.</exception>
    /// <exception cref="FileNotFoundException">The split file is missing.</exception>
    public static string SplitPath(string dataRoot, GlueTask task, string fileName)
    {
        if (!Directory.Exists(dataRoot)) throw new DirectoryNotFoundException($"data root '{dataRoot}' does not exist");
        var folder = Path.Combine(dataRoot, task.Folder);
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"task folder '{folder}' does not exist under the data root");
        var path = Path.Combine(folder, fileName);
        if (!File.Exists(path)) throw new FileNotFoundException($"split file '{path}' does not exist", path);
        return path;
    }

    /// <summary>Reads one split file of <paramref name="task"/> (see <see cref="ReadTrain"/> for errors).</summary>
    public static IReadOnlyList<GlueExample> ReadSplit(string dataRoot, GlueTask task, string fileName) =>
        ReadFile(SplitPath(dataRoot, task, fileName), task);

    /// <summary>Reads a TSV file in <paramref name="task"/>'s layout.</summary>
    /// <exception cref="FileNotFoundException">The file is missing.</exception>
    /// <exception cref="InvalidDataException">No header, a missing column, a row with the wrong number of fields,
    /// an unknown label, or no examples; the message names the file and the 1-based line.</exception>
    public static IReadOnlyList<GlueExample> ReadFile(string path, GlueTask task)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"split file '{path}' does not exist", path);
        using var reader = new StreamReader(path, Encoding.UTF8);
        var header = reader.ReadLine();
        if (string.IsNullOrWhiteSpace(header)) throw new InvalidDataException($"{path}: empty split (no header row)");
        var columns = header.TrimEnd('\r').Split('\t');
        int Column(string name)
        {
            var index = Array.FindIndex(columns, c => c.Trim() == name);
            return index >= 0 ? index
                : throw new InvalidDataException($"{path}:1: missing column '{name}' (header: {string.Join(", ", columns)})");
        }
        var text = Column(task.TextColumn);
        var pair = task.TextPairColumn is null ? -1 : Column(task.TextPairColumn);
        var label = Column(task.LabelColumn);

        var examples = new List<GlueExample>();
        var lineNumber = 1;
        for (var line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            lineNumber++;
            line = line.TrimEnd('\r');
            if (line.Length == 0) continue;
            var fields = line.Split('\t');
            if (fields.Length != columns.Length)
            {
                throw new InvalidDataException(
                    $"{path}:{lineNumber}: expected {columns.Length} tab-separated fields, found {fields.Length}");
            }
            var labelText = fields[label].Trim();
            if (!task.Labels.TryGetValue(labelText, out var id))
            {
                throw new InvalidDataException(
                    $"{path}:{lineNumber}: unknown label '{labelText}' (expected one of {string.Join(", ", task.Labels.Keys)})");
            }
            examples.Add(new GlueExample(fields[text].Trim(), pair >= 0 ? fields[pair].Trim() : null, id, lineNumber));
        }
        if (examples.Count == 0) throw new InvalidDataException($"{path}: empty split (a header and no examples)");
        return examples;
    }
}
