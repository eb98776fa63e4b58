using System.Text.Json;
using System.Text.Json.Nodes;
using PeftGrid.Contracts.Json;
using PeftGrid.Contracts.Trials;

namespace PeftGrid.Tasks.Runner;

/// <summary>
/// The <c>result.json</c> of DESIGN.md §6: a <see cref="TrialResult"/> in camelCase with lower-case status
/// strings (<c>"succeeded"</c>, <c>"diverged"</c>, …), plus an optional <c>training</c> object with the
/// settings actually used (learning rate, epochs, per-epoch dev accuracy…), written with the solution's one set of
/// JSON options (<see cref="PeftGridJson.Options"/>).
/// </summary>
public static class ResultJson
{
    private static JsonSerializerOptions Options => PeftGridJson.Options;

    /// <summary>The JSON text of <paramref name="result"/> with <paramref name="training"/> details (may be null).</summary>
    public static string Serialize(TrialResult result, IReadOnlyDictionary<string, object?>? training = null)
    {
        var node = JsonSerializer.SerializeToNode(result, Options)!.AsObject();
        if (training is not null) node["training"] = JsonSerializer.SerializeToNode(training, Options);
        return node.ToJsonString(Options);
    }

    /// <summary>Writes the JSON to <paramref name="path"/>, creating its folder.</summary>
    public static void Write(string path, TrialResult result, IReadOnlyDictionary<string, object?>? training = null)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
        File.WriteAllText(path, Serialize(result, training));
    }

    /// <summary>Reads a result written by <see cref="Write"/> (the <c>training</c> object is ignored).</summary>
    /// <exception cref="InvalidDataException">Not a result JSON.</exception>
    public static TrialResult Read(string path) =>
        JsonSerializer.Deserialize<TrialResult>(File.ReadAllText(path), Options) ?? throw new InvalidDataException($"{path}: not a result JSON");
}
