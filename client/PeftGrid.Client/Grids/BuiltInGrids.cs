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

    /// <summary>
    /// <c>paper-xsum</c>: every XSum point of the paper on bart-large at its explicit sizes (PAPER.md §4.2–4.7): Table 3 (insertion
    /// form), Table 5 (composition: LoRA-ffn s = 4 and s = 1, PA-ffn, scaled PA s = 4 and learned, r = 512 / 102), Table 6 (main
    /// comparison; its 3-seed rows — Pfeiffer r=600, LoRA-ffn r=102, PA-ffn r=1024, PA-attn+PA-ffn, prefix+LoRA-ffn, MAM — with seeds
    /// 42, 15217, 65537, PAPER.md §3.5 "Seeds"), Table 12 (bottleneck sizes) and Figures 2 and 4 (prefix l = 1…512, FFN adapter
    /// r = 30…1024, LoRA-attn r = 1…400 with s = 2); every other row one seed, 42. A configuration in several tables is one entry (one
    /// cell per seed). Profile: the paper's XSum settings (source 512, target 128 tokens, batch 64 sentences, lr 5e-5, dev truncated to
    /// 1,600); 30 epochs stand for the paper's 100K steps (<c>num_train_epochs 30</c> of <c>run_xsum.sh</c>, ≈ 31 epochs of
    /// 204K examples at 64 per step). 42 cells; needs the bart-large weights.
    /// </summary>
    public const string PaperXSum = """
    {
      "name": "paper-xsum",
      "tasks": ["xsum"],
      "models": ["bart-large"],
      "methods": [
        // Table 6 single-seed rows (+ Figures 2/4: BitFit 0.08 %)
        "full", "bitfit", "prompt[l=300]",
        // prefix: Tables 3, 6, 12 (l=200, 512), Figure 4 (l=1, 30)
        "prefix[l=1]", "prefix[l=30]", "prefix[l=200]", "prefix[l=512]",
        // sequential adapter: Table 3/12 attention (r=200, 512); FFN Table 3/12 and Figure 4 (r=30, 200, 512, 1024)
        "sa-attn[r=200]", "sa-attn[r=512]",
        "sa-ffn[r=30]", "sa-ffn[r=200]", "sa-ffn[r=512]", "sa-ffn[r=1024]",
        // parallel adapter: Tables 3, 5, 12
        "pa-attn[r=200]", "pa-attn[r=512]", "pa-ffn[r=200]", "pa-ffn[r=512]",
        // LoRA at attention, s = 2: Table 12 (r=200), Figures 2/4 (r=1, 30, 400)
        "lora-attn[r=1,alpha=2]", "lora-attn[r=30,alpha=60]", "lora-attn[r=200,alpha=400]", "lora-attn[r=400,alpha=800]",
        // Table 5: composition functions at the FFN
        "lora-ffn[r=102,alpha=102]", "scaled-pa[r=512,s=4]", "scaled-pa[r=512,s=learned]",
        // Table 6 rows run with 3 seeds (LoRA-ffn s=4 is also Table 5's and 12's)
        { "method": "pfeiffer[r=600]", "seeds": [42, 15217, 65537] },
        { "method": "lora-ffn[r=102,alpha=408]", "seeds": [42, 15217, 65537] },
        { "method": "pa-ffn[r=1024]", "seeds": [42, 15217, 65537] },
        { "method": "pa-attn+pa-ffn[attn_r=30,ffn_r=512]", "seeds": [42, 15217, 65537] },
        { "method": "prefix+lora-ffn[l=30,r=102,alpha=408]", "seeds": [42, 15217, 65537] },
        { "method": "mam[l=30,r=512,s=4]", "seeds": [42, 15217, 65537] }
      ],
      "budgets": [null],
      "seeds": [42],
      "profile": { "epochs": 30, "maxEvalExamples": 1600, "maxLength": 512, "maxTargetLength": 128, "batchSize": 64, "learningRate": 5e-5 },
      "failurePolicy": { "maxAttempts": 2, "leaseSeconds": 600 }
    }
    """;

    /// <summary>
    /// <c>paper-en-ro</c>: every WMT16 en→ro point of the paper on mbart-large-cc25 at its explicit sizes (PAPER.md §4.2–4.7): Table 3,
    /// Table 4 (multi-head comparison: MH PA r = 30 / 200, prefix without gate l = 30, PA-ffn / PA-attn r = 30), Table 6 (3-seed rows
    /// with seeds 42, 15217, 65537), Table 12 and Figure 4; every other row seed 42. Profile: the paper's en-ro settings (source and
    /// target 150 tokens, 4,096 tokens per batch — the paper accumulates 4 of them —, lr 5e-5, dev truncated to 1,600); 10 epochs stand
    /// for the paper's 50K steps. 44 cells; needs the mbart-large-cc25 weights.
    /// </summary>
    public const string PaperEnRo = """
    {
      "name": "paper-en-ro",
      "tasks": ["wmt16-en-ro"],
      "models": ["mbart-large-cc25"],
      "methods": [
        // Table 6 single-seed rows (+ Figure 4: BitFit)
        "full", "bitfit", "prompt[l=200]",
        // prefix: Tables 3, 4, 6, 12, Figure 4; Table 4's "-gating" l=30
        "prefix[l=1]", "prefix[l=30]", "prefix[l=200]", "prefix[l=512]", "prefix-nogate[l=30]",
        // Table 4: multi-head parallel adapter
        "mh-pa[r=30]", "mh-pa[r=200]",
        // sequential adapter: Tables 3, 12, Figure 4
        "sa-attn[r=200]", "sa-attn[r=512]",
        "sa-ffn[r=30]", "sa-ffn[r=200]", "sa-ffn[r=512]", "sa-ffn[r=1024]",
        // parallel adapter: Tables 3, 4, 12
        "pa-attn[r=30]", "pa-attn[r=200]", "pa-attn[r=512]", "pa-ffn[r=30]", "pa-ffn[r=200]", "pa-ffn[r=512]",
        // LoRA at attention, s = 2: Table 12, Figure 4
        "lora-attn[r=1,alpha=2]", "lora-attn[r=30,alpha=60]", "lora-attn[r=200,alpha=400]", "lora-attn[r=400,alpha=800]",
        // Table 6 rows run with 3 seeds
        { "method": "pfeiffer[r=600]", "seeds": [42, 15217, 65537] },
        { "method": "lora-ffn[r=102,alpha=408]", "seeds": [42, 15217, 65537] },
        { "method": "pa-ffn[r=1024]", "seeds": [42, 15217, 65537] },
        { "method": "pa-attn+pa-ffn[attn_r=30,ffn_r=512]", "seeds": [42, 15217, 65537] },
        { "method": "prefix+lora-ffn[l=30,r=102,alpha=408]", "seeds": [42, 15217, 65537] },
        { "method": "mam[l=30,r=512,s=4]", "seeds": [42, 15217, 65537] }
      ],
      "budgets": [null],
      "seeds": [42],
      "profile": { "epochs": 10, "maxEvalExamples": 1600, "maxLength": 150, "maxTargetLength": 150, "maxTokensPerBatch": 4096, "batchSize": 64, "learningRate": 5e-5 },
      "failurePolicy": { "maxAttempts": 2, "leaseSeconds": 600 }
    }
    """;

    /// <summary>
    /// <c>demo-xsum</c>: 6 PEFT presets (prefix, LoRA at attention and FFN, sequential and parallel FFN adapters, MAM) × 2 budget tiers
    /// (0.5 %, 2 %) plus full fine-tuning as the reference, on XSum with minilm2minilm and a small profile (256 training documents of
    /// 128 tokens, summaries of 48, 1 epoch, 40 dev documents scored by generation): 13 cells sized for a 2-core CPU.
    /// </summary>
    public const string DemoXSum = """
    {
      "name": "demo-xsum",
      "tasks": ["xsum"],
      "models": ["minilm2minilm"],
      "methods": [
        "prefix", "lora-attn", "lora-ffn", "sa-ffn", "pa-ffn", "mam",
        { "method": "full", "budgets": [null] }
      ],
      "budgets": [0.5, 2],
      "seeds": [42],
      "profile": { "epochs": 1, "maxTrainExamples": 256, "maxEvalExamples": 40, "maxLength": 128, "maxTargetLength": 48, "batchSize": 8 },
      "failurePolicy": { "maxAttempts": 1, "leaseSeconds": 600 }
    }
    """;

    /// <summary>Names of the built-in grids.</summary>
    public static IReadOnlyList<string> Names { get; } = ["demo-sst2", "paper-glue", "demo-xsum", "paper-xsum", "paper-en-ro"];

    /// <summary>The JSON of a built-in grid.</summary>
    public static bool TryGet(string name, out string json)
    {
        json = name switch
        {
            "demo-sst2" => DemoSst2, "paper-glue" => PaperGlue, "demo-xsum" => DemoXSum, "paper-xsum" => PaperXSum, "paper-en-ro" => PaperEnRo,
            _ => "",
        };
        return json.Length > 0;
    }
}
