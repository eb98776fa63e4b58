namespace PeftGrid.Client.Grids;

/// <summary>The method presets a grid file may use (DESIGN.md §2); tasks and models are in the torch-free catalogs.</summary>
public static class GridCatalog
{
    /// <summary>Method presets; a spec joins parts with <c>|</c>, each part a preset with optional <c>[k=v,...]</c> sizes.</summary>
    public static readonly IReadOnlyList<string> Presets =
    [
        "full", "bitfit", "prompt", "prefix", "prefix-nogate", "lora-attn", "lora-ffn", "sa-attn", "sa-ffn", "houlsby",
        "pfeiffer", "pa-attn", "pa-ffn", "mh-pa", "scaled-pa", "mam", "pa-attn+pa-ffn", "prefix+lora-ffn",
    ];

    /// <summary>Why <paramref name="spec"/> is not a valid compact method spec, or null if it is.</summary>
    public static string? MethodError(string spec)
    {
        if (string.IsNullOrWhiteSpace(spec))
        {
            return "empty method spec";
        }
        foreach (var raw in spec.Split('|'))
        {
            var part = raw.Trim();
            var open = part.IndexOf('[', StringComparison.Ordinal);
            var name = (open < 0 ? part : part[..open]).Trim().ToLowerInvariant();
            if (!Presets.Contains(name))
            {
                return $"unknown method '{name}' in '{spec}' (known: {string.Join(", ", Presets)})";
            }
            if (open < 0)
            {
                continue;
            }
            if (!part.EndsWith(']'))
            {
                return $"'{part}': sizes must be written [k=v,...]";
            }
            foreach (var kv in part[(open + 1)..^1].Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                var eq = kv.Split('=');
                if (eq.Length != 2 || eq[0].Trim().Length == 0 || eq[1].Trim().Length == 0)
                {
                    return $"'{part}': bad option '{kv.Trim()}' (expected key=value, e.g. r=16, s=learned)";
                }
            }
        }
        return null;
    }
}
