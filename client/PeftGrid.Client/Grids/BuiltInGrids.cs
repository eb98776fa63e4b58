namespace PeftGrid.Client.Grids;

/// <summary>The grids that ship with PeftGrid, in the grid-file format.</summary>
public static class BuiltInGrids
{
    /// <summary>
    /// <c>demo-sst2</c>: 8 PEFT presets × 2 budget tiers (0.1 %, 0.5 %) plus BitFit and full fine-tuning as references, on
    /// SST-2 with MiniLM and a small profile (3,000 training examples, 64 tokens, 1 epoch, 1 seed, 872 dev examples):
    /// 18 cells (one seed) that finish in about 7 minutes on a 2-core CPU (measured: 413 s sweep, 6 min 59 s wall).
    /// </summary>
    public const string DemoSst2 = """
    {
      "name": "demo-sst2",
      "tasks": ["sst2"],
      "models": ["minilm"],
      "methods": [
        "prefix", "lora-attn", "lora-ffn", "houlsby", "pa-ffn", "scaled-pa", "mh-pa", "mam",
        { "method": "bitfit", "budgets": [null] },
        { "method": "full", "budgets": [null] }
      ],
      "budgets": [0.1, 0.5],
      "seeds": [42],
      "profile": { "epochs": 1, "maxTrainExamples": 3000, "maxEvalExamples": 872, "maxLength": 64, "batchSize": 32 },
      "failurePolicy": { "maxAttempts": 1, "leaseSeconds": 300 }
    }
    """;

    /// <summary>
    /// <c>paper-glue</c>: the paper's Table 2 (PAPER.md §4.1) — full, BitFit, prefix, LoRA, Houlsby adapter and MAM at
    /// 0.5 % × seeds 42, 2, 4, 6, 8 on SST-2 and MNLI, for roberta-base and minilm, with the paper's GLUE settings
    /// (10 epochs, batch 32, lr 1e-4, 512 tokens, dev truncated to 1,600).
    /// </summary>
    public const string PaperGlue = """
    {
      "name": "paper-glue",
      "tasks": ["sst2", "mnli"],
      "models": ["roberta-base", "minilm"],
      "methods": [
        { "method": "full", "budgets": [null] },
        // BitFit has no size to solve: it is ~0.1 % by construction.
        { "method": "bitfit", "budgets": [null] },
        "prefix", "lora-attn", "houlsby", "mam"
      ],
      "budgets": [0.5],
      "seeds": [42, 2, 4, 6, 8],
      "profile": { "epochs": 10, "maxEvalExamples": 1600, "maxLength": 512, "batchSize": 32, "learningRate": 1e-4 },
      "failurePolicy": { "maxAttempts": 2, "leaseSeconds": 300 }
    }
    """;

    /// <summary>Names of the built-in grids.</summary>
    public static IReadOnlyList<string> Names { get; } = ["demo-sst2", "paper-glue"];

    /// <summary>The JSON of a built-in grid.</summary>
    public static bool TryGet(string name, out string json)
    {
        json = name switch { "demo-sst2" => DemoSst2, "paper-glue" => PaperGlue, _ => "" };
        return json.Length > 0;
    }
}
