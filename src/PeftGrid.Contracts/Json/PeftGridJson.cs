using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace PeftGrid.Contracts.Json;

/// <summary>The one set of JSON options of the solution: result files, every CLI <c>--json</c> output, <c>leaderboard.json</c>.</summary>
public static class PeftGridJson
{
    /// <summary>
    /// camelCase properties (dictionary keys as written, e.g. metric names), indented, enums as camelCase strings
    /// (<c>"succeeded"</c>, <c>"diverged"</c>), NaN/∞ as <c>"NaN"</c>/<c>"Infinity"</c>, numbers also read from strings, property
    /// names read case-insensitively, and readable text: only what JSON requires is escaped, so <c>pa-attn+pa-ffn</c>,
    /// <c>Δh</c> and <c>s·r</c> are written as they are (never <c>\u002B</c>). Read-only.
    /// </summary>
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            WriteIndented = true,
            NumberHandling = JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.AllowNamedFloatingPointLiterals,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
