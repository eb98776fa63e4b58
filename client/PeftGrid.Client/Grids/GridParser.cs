using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using PeftGrid.Contracts.Grid;
using PeftGrid.Contracts.Trials;
using PeftGrid.Peft.Catalog;
using PeftGrid.Peft.Framework;

namespace PeftGrid.Client.Grids;

/// <summary>Reads grid files (JSON, comments allowed) and expands them into cells.</summary>
public static class GridParser
{
    private static readonly HashSet<string> Fields = ["name", "tasks", "task", "models", "model", "methods", "budgets", "seeds", "profile", "failurePolicy"];

    /// <summary>Loads a built-in grid by name (see <see cref="BuiltInGrids"/>) or a grid file by path.</summary>
    /// <exception cref="FileNotFoundException">Neither a built-in name nor an existing file.</exception>
    /// <param name="nameOrPath">Built-in grid name or file path.</param>
    /// <exception cref="GridFormatException">The grid is malformed; the message starts with the JSON path.</exception>
    public static GridDefinition Load(string nameOrPath)
    {
        if (BuiltInGrids.TryGet(nameOrPath, out var json))
        {
            return Parse(json, nameOrPath);
        }
        if (!File.Exists(nameOrPath))
        {
            throw new FileNotFoundException($"grid '{nameOrPath}' is neither a file nor a built-in grid ({string.Join(", ", BuiltInGrids.Names)})");
        }
        return Parse(File.ReadAllText(nameOrPath), System.IO.Path.GetFileNameWithoutExtension(nameOrPath));
    }

    /// <summary>Parses grid JSON; <paramref name="defaultName"/> names a grid without a <c>name</c>. Every method is parsed and
    /// validated by the one spec parser (<see cref="PeftConfig.Parse"/>: presets, keys, values, one modification per site); tasks and
    /// models are checked against <see cref="TaskCatalog"/> and <see cref="ModelCatalog"/> and come back by their canonical names
    /// (<c>sst-2</c> → <c>sst2</c>), a checkpoint folder path as written.</summary>
    /// <param name="json">The grid JSON.</param>
    /// <param name="defaultName">Name of a grid without a <c>name</c>.</param>
    /// <exception cref="GridFormatException">Malformed JSON, a wrong type, an unknown task/model, a bad method spec or an empty list.</exception>
    public static GridDefinition Parse(string json, string defaultName = "grid")
    {
        using var doc = GridJson.Parse(Encoding.UTF8.GetBytes(json));
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new GridFormatException("$", $"a grid is a JSON object, got {GridJson.Describe(root)}");
        }
        foreach (var p in root.EnumerateObject().Where(p => !Fields.Contains(p.Name)))
        {
            throw new GridFormatException($"$.{p.Name}", $"unknown field (known: {string.Join(", ", Fields)})");
        }
        var tasks = GridJson.List(Required(root, "tasks", "task"), Path(root, "tasks", "task"), (e, p) =>
        {
            var t = GridJson.String(e, p);
            return TaskCatalog.TryFind(t)?.Name ?? throw new GridFormatException(p, $"unknown task '{t}'; allowed: {TaskCatalog.Allowed}");
        });
        var models = GridJson.List(Required(root, "models", "model"), Path(root, "models", "model"), (e, p) =>
        {
            var m = GridJson.String(e, p);
            return ModelCatalog.TryFind(m)?.Name ?? (ModelCatalog.IsCheckpointPath(m) ? m.Trim() : throw new GridFormatException(p, ModelCatalog.Unknown(m).Message));
        });
        var methods = GridJson.List(Required(root, "methods", null), "$.methods", Method, allowSingle: false);
        var budgets = root.TryGetProperty("budgets", out var b) ? GridJson.List(b, "$.budgets", GridJson.Budget) : [null];
        var seeds = root.TryGetProperty("seeds", out var s) ? GridJson.List(s, "$.seeds", (e, p) => GridJson.Int(e, p, 0)) : [42];
        return new GridDefinition
        {
            Name = root.TryGetProperty("name", out var n) ? GridJson.String(n, "$.name") : defaultName,
            Tasks = tasks, Models = models, Methods = methods, Budgets = budgets, Seeds = seeds,
            Profile = root.TryGetProperty("profile", out var pr) ? Profile(pr) : new TrainingProfile(),
            Policy = root.TryGetProperty("failurePolicy", out var fp) ? Policy(fp) : new FailurePolicy(),
        };
    }

    /// <summary>
    /// Expands a grid into de-duplicated cells: tasks × models × methods × tiers × seeds (a method's own seeds where it has them). Each cell carries its method's canonical
    /// form (<see cref="GridMethod.For"/>) and is identified by the configuration it trains (<see cref="CellIdentity"/>), so the
    /// same configuration in two spellings is one cell: the duplicates are merged and reported. With a <paramref name="dataRoot"/>
    /// every cell also carries its task's data identity (<see cref="TrialSpec.Data"/>, <see cref="DataIdentity"/>, each file hashed
    /// once), so the same grid on other data is other cells; without one, cells have no data identity (ids as before issue 8).
    /// </summary>
    /// <param name="grid">The grid.</param>
    /// <param name="dataRoot">The data root the grid's tasks are read from (the CLI's <c>--data</c>, resolved), or null for none.</param>
    /// <exception cref="GridFormatException">The grid expands to no cell.</exception>
    /// <exception cref="FileNotFoundException">A task's split file is missing under <paramref name="dataRoot"/>; one line naming the
    /// task, the expected path and <c>--data</c>.</exception>
    public static GridExpansion Expand(GridDefinition grid, string? dataRoot = null)
    {
        var data = grid.Tasks.Distinct(StringComparer.Ordinal).ToDictionary(t => t, t => dataRoot is null ? "" : TaskData(dataRoot, t), StringComparer.Ordinal);
        var cells = new List<TrialSpec>();
        foreach (var task in grid.Tasks)
        foreach (var model in grid.Models)
        foreach (var method in grid.Methods)
        foreach (var tier in method.Budgets ?? (method.Config.Spec == "full" ? [null] : grid.Budgets))
        foreach (var seed in method.Seeds ?? grid.Seeds)
        {
            cells.Add(new TrialSpec { Task = task, Model = model, Method = method.For(tier), BudgetPercent = tier, Seed = seed, Profile = grid.Profile, Data = data[task] });
        }
        if (cells.Count == 0)
        {
            throw new GridFormatException("$", "the grid expands to no cell");
        }
        var unique = new List<TrialSpec>();
        var duplicates = new List<string>();
        foreach (var group in cells.GroupBy(c => c.CellId))
        {
            unique.Add(group.First());
            if (group.Count() > 1)
            {
                var c = group.First();
                duplicates.Add($"cell {group.Key} ({c.Task}/{c.Model}/{c.Method}/{(c.BudgetPercent is { } t ? $"{t}%" : "own sizes")}/seed {c.Seed}) appears {group.Count()} times; merged");
            }
        }
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join(",", unique.Select(c => c.CellId).Order(StringComparer.Ordinal)))))[..8];
        return new GridExpansion
        {
            Request = new SweepRequest { SweepId = $"{grid.Name}-{hash}", Name = grid.Name, Cells = unique, Policy = grid.Policy },
            Duplicates = duplicates,
        };
    }

    /// <summary>The data identity of <paramref name="task"/> under <paramref name="dataRoot"/>.</summary>
    /// <exception cref="FileNotFoundException">A split file is missing: the task, the expected path and the <c>--data</c> hint.</exception>
    private static string TaskData(string dataRoot, string task)
    {
        try
        {
            return DataIdentity.Of(dataRoot, TaskCatalog.Find(task));
        }
        catch (FileNotFoundException e)
        {
            throw new FileNotFoundException($"{e.Message}; pass --data DIR with the data root that holds it (default $PEFTGRID_DATA or ../shared/data)", e.FileName, e);
        }
    }

    private static GridMethod Method(JsonElement e, string path)
    {
        if (e.ValueKind == JsonValueKind.Object)
        {
            foreach (var f in e.EnumerateObject().Where(f => f.Name is not ("method" or "budgets" or "seeds")))
            {
                throw new GridFormatException($"{path}.{f.Name}", "unknown field (known: method, budgets, seeds)");
            }
            var spec = e.TryGetProperty("method", out var m) ? GridJson.String(m, $"{path}.method") : throw new GridFormatException(path, "a method object needs \"method\"");
            return new GridMethod(Config(spec, $"{path}.method"), e.TryGetProperty("budgets", out var b) ? GridJson.List(b, $"{path}.budgets", GridJson.Budget) : null)
            {
                Seeds = e.TryGetProperty("seeds", out var s) ? GridJson.List(s, $"{path}.seeds", (x, p) => GridJson.Int(x, p, 0)) : null,
            };
        }
        return new GridMethod(Config(GridJson.String(e, path), path), null);
    }

    private static PeftConfig Config(string spec, string path)
    {
        try
        {
            return PeftConfig.Parse(spec);
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            throw new GridFormatException(path, e.Message);
        }
    }

    private static TrainingProfile Profile(JsonElement e)
    {
        const string P = "$.profile";
        if (e.ValueKind != JsonValueKind.Object)
        {
            throw new GridFormatException(P, $"expected an object, got {GridJson.Describe(e)}");
        }
        var p = new TrainingProfile();
        foreach (var f in e.EnumerateObject())
        {
            var path = $"{P}.{f.Name}";
            p = f.Name switch
            {
                "epochs" => p with { Epochs = GridJson.Int(f.Value, path, 1) },
                "maxTrainExamples" => p with { MaxTrainExamples = GridJson.OptionalInt(f.Value, path, 1) },
                "maxEvalExamples" => p with { MaxEvalExamples = GridJson.OptionalInt(f.Value, path, 1) },
                "maxLength" => p with { MaxLength = GridJson.Int(f.Value, path, 8) },
                "batchSize" => p with { BatchSize = GridJson.Int(f.Value, path, 1) },
                "learningRate" => p with { LearningRate = OptionalRate(f.Value, path) },
                "prefixLearningRate" => p with { PrefixLearningRate = OptionalRate(f.Value, path) },
                "maxTargetLength" => p with { MaxTargetLength = GridJson.OptionalInt(f.Value, path, 4) },
                "maxTokensPerBatch" => p with { MaxTokensPerBatch = GridJson.OptionalInt(f.Value, path, 8) },
                "precision" => p with { Precision = Precision(f.Value, path) },
                "lowPrecisionBase" => p with { LowPrecisionBase = f.Value.ValueKind is JsonValueKind.True or JsonValueKind.False ? f.Value.GetBoolean()
                    : throw new GridFormatException(path, $"expected true or false, got {GridJson.Describe(f.Value)}") },
                _ => throw new GridFormatException(path, "unknown field (known: epochs, maxTrainExamples, maxEvalExamples, maxLength, batchSize, learningRate, prefixLearningRate, maxTargetLength, maxTokensPerBatch, precision, lowPrecisionBase)"),
            };
        }
        if (p.LowPrecisionBase && p.Precision == TrainingPrecision.Fp32)
        {
            throw new GridFormatException($"{P}.lowPrecisionBase", "needs precision bf16 or fp16 (got fp32)");
        }
        return p;
    }

    private static TrainingPrecision Precision(JsonElement v, string path)
    {
        try
        {
            return TrainingPrecisions.Parse(GridJson.String(v, path));
        }
        catch (ArgumentException e)
        {
            throw new GridFormatException(path, e.Message);
        }
    }

    private static double? OptionalRate(JsonElement v, string path) =>
        v.ValueKind == JsonValueKind.Null ? null
        : v.ValueKind == JsonValueKind.Number && v.GetDouble() > 0 ? v.GetDouble()
        : throw new GridFormatException(path, $"expected a positive number or null, got {GridJson.Describe(v)}");

    private static FailurePolicy Policy(JsonElement e)
    {
        const string P = "$.failurePolicy";
        if (e.ValueKind != JsonValueKind.Object)
        {
            throw new GridFormatException(P, $"expected an object, got {GridJson.Describe(e)}");
        }
        var p = new FailurePolicy();
        foreach (var f in e.EnumerateObject())
        {
            p = f.Name switch
            {
                "maxAttempts" => p with { MaxAttempts = GridJson.Int(f.Value, $"{P}.maxAttempts", 1) },
                "leaseSeconds" => p with { LeaseSeconds = GridJson.Int(f.Value, $"{P}.leaseSeconds", 1) },
                "maxInterruptions" => p with { MaxInterruptions = GridJson.Int(f.Value, $"{P}.maxInterruptions", 0) },
                _ => throw new GridFormatException($"{P}.{f.Name}", "unknown field (known: maxAttempts, leaseSeconds, maxInterruptions)"),
            };
        }
        return p;
    }

    private static JsonElement Required(JsonElement root, string plural, string? single) =>
        root.TryGetProperty(plural, out var v) || (single is not null && root.TryGetProperty(single, out v))
            ? v
            : throw new GridFormatException($"$.{plural}", "required field is missing");

    private static string Path(JsonElement root, string plural, string single) => root.TryGetProperty(plural, out _) ? $"$.{plural}" : $"$.{single}";
}
