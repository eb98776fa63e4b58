namespace PeftGrid.Client.Grids;

/// <summary>The names a grid file may use for tasks and models (methods are checked by <c>PeftConfig.Parse</c>).</summary>
public static class GridCatalog
{
    /// <summary>Known tasks. Whether this build can run one is the runner's call (refused at submission otherwise).</summary>
    public static readonly IReadOnlyList<string> Tasks = ["sst2", "mnli", "xsum", "wmt16-en-ro"];

    /// <summary>Known model names; a path (containing <c>/</c>) to an HF checkpoint folder is accepted too.</summary>
    public static readonly IReadOnlyList<string> Models = ["minilm", "bert-base-uncased", "roberta-base", "bart-large", "mbart-large-cc25"];

    /// <summary>True for a known model name or a checkpoint path.</summary>
    public static bool IsModel(string model) => Models.Contains(model) || model.Contains('/') || model.Contains('\\');
}
