using System.Text.Json;
using System.Text.Json.Serialization;

namespace PeftGrid.Cli.Commands;

/// <summary>JSON settings shared by every <c>--json</c> output: camelCase, indented, enums as strings.</summary>
public static class CliJson
{
    /// <summary>The options.</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };
}
