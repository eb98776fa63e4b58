using System.Text.Json;
using PeftGrid.Contracts.Json;
using PeftGrid.Contracts.Trials;

namespace PeftGrid.Tasks.Runner;

/// <summary>
/// The <c>result.json</c> of DESIGN.md §6: a <see cref="TrialResult"/>, its <c>training</c> block
/// (<see cref="TrainingDetails"/>) included, written with the solution's one set of JSON options
/// (<see cref="PeftGridJson.Options"/>: camelCase, lower-case status strings such as <c>"succeeded"</c>).
/// </summary>
public static class ResultJson
{
    /// <summary>The JSON text of <paramref name="result"/>.</summary>
    public static string Serialize(TrialResult result) => JsonSerializer.Serialize(result, PeftGridJson.Options);

    /// <summary>Writes the JSON to <paramref name="path"/>, creating its folder.</summary>
    public static void Write(string path, TrialResult result)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
        File.WriteAllText(path, Serialize(result));
    }

    /// <summary>Reads a result written by <see cref="Write"/>.</summary>
    /// <exception cref="InvalidDataException">Not a result JSON.</exception>
    public static TrialResult Read(string path) =>
        JsonSerializer.Deserialize<TrialResult>(File.ReadAllText(path), PeftGridJson.Options) ?? throw new InvalidDataException($"{path}: not a result JSON");
}
