namespace PeftGrid.Contracts.Grid;

/// <summary>One succeeded or diverged cell as the leaderboard keeps it.</summary>
[GenerateSerializer, Immutable, Alias("peftgrid.LeaderboardEntry")]
public sealed record LeaderboardEntry
{
    /// <summary>The cell id (entries are idempotent on it).</summary>
    [Id(0)] public required string CellId { get; init; }
    /// <summary>Task.</summary>
    [Id(1)] public required string Task { get; init; }
    /// <summary>Model.</summary>
    [Id(2)] public required string Model { get; init; }
    /// <summary>The configuration in its canonical form (<see cref="Trials.CellIdentity.Method"/>; part of the row key with the tier
    /// and <see cref="Profile"/>), e.g. <c>lora-attn[r=10]</c>.</summary>
    [Id(3)] public required string Method { get; init; }
    /// <summary>The resolved spec with solved sizes, e.g. <c>lora-attn[r=10]</c>.</summary>
    [Id(4)] public string ResolvedMethod { get; init; } = "";
    /// <summary>Budget tier in %, null for explicit sizes.</summary>
    [Id(5)] public double? Tier { get; init; }
    /// <summary>Seed.</summary>
    [Id(6)] public int Seed { get; init; }
    /// <summary>Primary metric value (accuracy in [0, 1] for GLUE); NaN for a <see cref="Diverged"/> entry.</summary>
    [Id(7)] public double Score { get; init; }
    /// <summary>Name of the primary metric, e.g. <c>accuracy</c>.</summary>
    [Id(8)] public string Metric { get; init; } = "accuracy";
    /// <summary>Paper-convention parameter count.</summary>
    [Id(9)] public long PaperCount { get; init; }
    /// <summary>Trainable parameter count.</summary>
    [Id(10)] public long TrainableCount { get; init; }
    /// <summary>Paper count as % of the model.</summary>
    [Id(11)] public double Percent { get; init; }
    /// <summary>Training wall time, seconds.</summary>
    [Id(12)] public double TrainSeconds { get; init; }
    /// <summary>The cell's training profile in its canonical text form (<see cref="Trials.TrainingProfile.Canonical"/>, with
    /// <c>;data=</c> and a short hash of its data identity when the cell has one), part of the
    /// row key: cells that differ only in profile are different rows, never seeds of one row.</summary>
    [Id(13)] public string Profile { get; init; } = "";
    /// <summary>The trial diverged (or its primary score is NaN/±Inf): counted in <see cref="LeaderboardRow.Diverged"/>, never ranked.</summary>
    [Id(14)] public bool Diverged { get; init; }
    /// <summary>1-based run of the cell (1 + times it was retried with <c>sweep retry</c>): an ingest with a higher run replaces the
    /// cell's entry, an equal or lower one is a duplicate.</summary>
    [Id(15)] public int Run { get; init; } = 1;
    /// <summary>The task's other metrics of the result (every metric of the result but <see cref="Metric"/>, e.g. <c>rouge1</c>,
    /// <c>rougeL</c>, <c>rougeLsum</c> beside <c>rouge2</c> for XSum; <c>bleuPaper</c> beside <c>bleu</c> for en-ro), in the result's
    /// units (ROUGE F × 100, BLEU 0–100, accuracy in [0, 1]); empty for a single-metric task and for entries stored by older code.</summary>
    [Id(16)] public IReadOnlyDictionary<string, double> OtherMetrics { get; init; } = LeaderboardMetrics.None;
}

/// <summary>Shared values of the leaderboard contracts.</summary>
public static class LeaderboardMetrics
{
    /// <summary>The empty metric map (one instance, so records without other metrics compare equal).</summary>
    public static IReadOnlyDictionary<string, double> None { get; } = new Dictionary<string, double>();
}

/// <summary>One configuration (tier × canonical method × training profile) aggregated over its distinct seeds.</summary>
[GenerateSerializer, Immutable, Alias("peftgrid.LeaderboardRow")]
public sealed record LeaderboardRow
{
    /// <summary>1-based rank within its tier by mean score (descending); 0 for a row with only diverged cells (never ranked).</summary>
    [Id(0)] public int Rank { get; init; }
    /// <summary>The configuration's canonical method (<see cref="LeaderboardEntry.Method"/>).</summary>
    [Id(1)] public required string Method { get; init; }
    /// <summary>Resolved spec of the first seed.</summary>
    [Id(2)] public string ResolvedMethod { get; init; } = "";
    /// <summary>Budget tier in %, null for explicit sizes.</summary>
    [Id(3)] public double? Tier { get; init; }
    /// <summary>Mean of the primary metric over the distinct seeds with a finite score; NaN when <see cref="Seeds"/> is 0.</summary>
    [Id(4)] public double Mean { get; init; }
    /// <summary>Sample standard deviation (n − 1) over the counted seeds; 0 for one seed, NaN for none.</summary>
    [Id(5)] public double Std { get; init; }
    /// <summary>Distinct seeds with a finite score aggregated (diverged cells and duplicate seeds not included).</summary>
    [Id(6)] public int Seeds { get; init; }
    /// <summary>Paper-convention parameter count (mean over seeds, rounded).</summary>
    [Id(7)] public long PaperCount { get; init; }
    /// <summary>Trainable parameter count (mean over seeds, rounded).</summary>
    [Id(8)] public long TrainableCount { get; init; }
    /// <summary>Paper count as % of the model (mean over seeds).</summary>
    [Id(9)] public double Percent { get; init; }
    /// <summary>Mean training time, seconds.</summary>
    [Id(10)] public double TrainSeconds { get; init; }
    /// <summary>True when no other configuration has ≤ % and ≥ mean with one strictly better.</summary>
    [Id(11)] public bool Pareto { get; init; }
    /// <summary>Training profile (canonical text) of the row's cells; part of the row key.</summary>
    [Id(12)] public string Profile { get; init; } = "";
    /// <summary>Cells of this configuration that diverged (non-finite score): not in <see cref="Mean"/>, <see cref="Seeds"/> or the ranking.</summary>
    [Id(13)] public int Diverged { get; init; }
    /// <summary>Finite entries not counted because another cell of this row had the same seed (cells of one configuration that
    /// differ in something outside the row key, e.g. the data): per seed the higher run wins, then the later arrival.</summary>
    [Id(14)] public int DuplicateSeeds { get; init; }
    /// <summary>Mean over the counted seeds of each of the task's other metrics (<see cref="LeaderboardEntry.OtherMetrics"/>), by name,
    /// in the results' units; a metric is listed when every counted seed reports it finite. Empty for a single-metric task.</summary>
    [Id(15)] public IReadOnlyDictionary<string, double> OtherMeans { get; init; } = LeaderboardMetrics.None;
}

/// <summary>The ranking of one budget tier.</summary>
[GenerateSerializer, Immutable, Alias("peftgrid.LeaderboardTier")]
public sealed record LeaderboardTier
{
    /// <summary>Tier in %, null for configurations with explicit sizes.</summary>
    [Id(0)] public double? Tier { get; init; }
    /// <summary>Rows by rank.</summary>
    [Id(1)] public IReadOnlyList<LeaderboardRow> Rows { get; init; } = [];
}

/// <summary>The leaderboard of one task and model.</summary>
[GenerateSerializer, Immutable, Alias("peftgrid.LeaderboardView")]
public sealed record LeaderboardView
{
    /// <summary>Task.</summary>
    [Id(0)] public required string Task { get; init; }
    /// <summary>Model.</summary>
    [Id(1)] public required string Model { get; init; }
    /// <summary>Primary metric name.</summary>
    [Id(2)] public string Metric { get; init; } = "accuracy";
    /// <summary>Tiers ascending (explicit-size tier last).</summary>
    [Id(3)] public IReadOnlyList<LeaderboardTier> Tiers { get; init; } = [];
    /// <summary>The Pareto front of mean score vs % parameters over ranked rows, by % ascending.</summary>
    [Id(4)] public IReadOnlyList<LeaderboardRow> Pareto { get; init; } = [];
    /// <summary>Cells (entries) on the board, diverged ones included.</summary>
    [Id(5)] public int Cells { get; init; }
}
