using System.Text.Json;

namespace PeftGrid.Client.Grids;

/// <summary>JSON reading helpers that name the JSON path of whatever is wrong.</summary>
internal static class GridJson
{
    internal static readonly JsonDocumentOptions DocumentOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <summary>Parses <paramref name="utf8"/>; a syntax error becomes a <see cref="GridFormatException"/> at the path being read.</summary>
    internal static JsonDocument Parse(byte[] utf8)
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var frames = new List<(bool Array, int Count, string? Prop)>();
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        frames[^1] = frames[^1] with { Prop = reader.GetString() };
                        break;
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        Count(frames);
                        frames.Add((reader.TokenType == JsonTokenType.StartArray, 0, null));
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        frames.RemoveAt(frames.Count - 1);
                        break;
                    default:
                        Count(frames);
                        break;
                }
            }
        }
        catch (JsonException e)
        {
            var detail = e.Message.Split(" LineNumber:")[0].TrimEnd('.', ' ');
            throw new GridFormatException(PathOf(frames), $"malformed JSON at line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}: {detail}");
        }
        return JsonDocument.Parse(utf8, DocumentOptions);
    }

    private static void Count(List<(bool Array, int Count, string? Prop)> frames)
    {
        if (frames.Count > 0 && frames[^1].Array)
        {
            frames[^1] = frames[^1] with { Count = frames[^1].Count + 1 };
        }
    }

    private static string PathOf(List<(bool Array, int Count, string? Prop)> frames)
    {
        var path = "$";
        for (var i = 0; i < frames.Count; i++)
        {
            var f = frames[i];
            path += f.Array ? $"[{(i == frames.Count - 1 ? f.Count : Math.Max(0, f.Count - 1))}]" : f.Prop is null ? "" : $".{f.Prop}";
        }
        return path;
    }

    internal static string String(JsonElement e, string path) =>
        e.ValueKind == JsonValueKind.String && e.GetString() is { Length: > 0 } s
            ? s.Trim()
            : throw new GridFormatException(path, $"expected a non-empty string, got {Describe(e)}");

    internal static int Int(JsonElement e, string path, int min) =>
        e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out var v)
            ? v >= min ? v : throw new GridFormatException(path, $"must be ≥ {min}, got {v}")
            : throw new GridFormatException(path, $"expected an integer, got {Describe(e)}");

    internal static int? OptionalInt(JsonElement e, string path, int min) => e.ValueKind == JsonValueKind.Null ? null : Int(e, path, min);

    internal static double? Budget(JsonElement e, string path)
    {
        if (e.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (e.ValueKind == JsonValueKind.String && e.GetString() is { } s && s.Trim().EndsWith('%')
            && double.TryParse(s.Trim().TrimEnd('%'), System.Globalization.CultureInfo.InvariantCulture, out var pct))
        {
            return Positive(pct, path);
        }
        return e.ValueKind == JsonValueKind.Number
            ? Positive(e.GetDouble(), path)
            : throw new GridFormatException(path, $"expected a budget in % (number, \"0.5%\" or null), got {Describe(e)}");
    }

    private static double Positive(double v, string path) =>
        v is > 0 and <= 100 ? v : throw new GridFormatException(path, $"a budget tier must be in (0, 100] %, got {v}");

    internal static IReadOnlyList<T> List<T>(JsonElement e, string path, Func<JsonElement, string, T> item, bool allowSingle = true)
    {
        if (e.ValueKind != JsonValueKind.Array)
        {
            return allowSingle && e.ValueKind != JsonValueKind.Object
                ? [item(e, path)]
                : throw new GridFormatException(path, $"expected an array, got {Describe(e)}");
        }
        var list = e.EnumerateArray().Select((x, i) => item(x, $"{path}[{i}]")).ToList();
        return list.Count > 0 ? list : throw new GridFormatException(path, "must not be empty");
    }

    internal static string Describe(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => $"string \"{e.GetString()}\"",
        JsonValueKind.Number => $"number {e.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => $"boolean {e.GetRawText()}",
        _ => e.ValueKind.ToString().ToLowerInvariant(),
    };
}
