namespace PeftGrid.Client.Grids;

/// <summary>The names a grid file may use: tasks, models and method presets (DESIGN.md §2).</summary>
public static class GridCatalog
{
    /// <summary>Known tasks. Whether this build can run one is the runner's call (refused at submission otherwise).</summary>
    public static readonly IReadOnlyList<string> Tasks = ["sst2", "mnli", "xsum", "wmt16-en-ro"];

    /// <summary>Known model names; a path (containing <c>/</c>) to an HF checkpoint folder is accepted too.</summary>
    public static readonly IReadOnlyList<string> Models = ["minilm", "bert-base-uncased", "roberta-base", "bart-large", "mbart-large-cc25"];

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

    /// <summary>True for a known model name or a checkpoint path.</summary>
    public static bool IsModel(string model) => Models.Contains(model) || model.Contains('/') || model.Contains('\\');
}
