namespace PeftGrid.Contracts.Grid;

/// <summary>The column a <see cref="CellQuery"/> sorts by. Values cross the wire: append only.</summary>
public enum CellSort
{
    /// <summary>Submission order (the sweep's order).</summary>
    Order = 0,
    /// <summary>Task, then model.</summary>
    Task = 1,
    /// <summary>Model.</summary>
    Model = 2,
    /// <summary>Method (canonical configuration text).</summary>
    Method = 3,
    /// <summary>Budget tier (explicit sizes last).</summary>
    Tier = 4,
    /// <summary>Seed.</summary>
    Seed = 5,
    /// <summary>Status.</summary>
    Status = 6,
    /// <summary>Attempts.</summary>
    Attempts = 7,
    /// <summary>Worker.</summary>
    Worker = 8,
    /// <summary>Duration (<see cref="CellInfo.Seconds"/>).</summary>
    Duration = 9,
    /// <summary>Primary metric value (cells without one last).</summary>
    Score = 10,
}

/// <summary>
/// One page of a sweep's cells, filtered and sorted on the scheduler (<see cref="ISchedulerGrain.QueryCellsAsync"/>), so a
/// dashboard never ships a 10,000-cell sweep to show 50 rows. Every filter is optional; filters combine with AND.
/// </summary>
[GenerateSerializer, Immutable, Alias("peftgrid.CellQuery")]
public sealed record CellQuery
{
    /// <summary>Rows to skip (≥ 0).</summary>
    [Id(0)] public int Offset { get; init; }
    /// <summary>Rows to return, 1–500. Default 50.</summary>
    [Id(1)] public int Limit { get; init; } = 50;
    /// <summary>Sort column. Default submission order.</summary>
    [Id(2)] public CellSort Sort { get; init; }
    /// <summary>Sort descending.</summary>
    [Id(3)] public bool Descending { get; init; }
    /// <summary>Task name (exact, case-insensitive).</summary>
    [Id(4)] public string? Task { get; init; }
    /// <summary>Model name (exact, case-insensitive).</summary>
    [Id(5)] public string? Model { get; init; }
    /// <summary>Method: cells whose canonical method text contains it (case-insensitive), e.g. <c>lora</c>.</summary>
    [Id(6)] public string? Method { get; init; }
    /// <summary>Budget tier label as in <see cref="TierStatus.Label"/> (<c>0.1%</c>, <c>explicit</c>).</summary>
    [Id(7)] public string? Tier { get; init; }
    /// <summary>Seed.</summary>
    [Id(8)] public int? Seed { get; init; }
    /// <summary>Status.</summary>
    [Id(9)] public CellStatus? Status { get; init; }
    /// <summary>Free text: cells whose id, method, worker or error contains it (case-insensitive).</summary>
    [Id(10)] public string? Text { get; init; }
}

/// <summary>A page of cells and the values each filter can take in the whole sweep.</summary>
[GenerateSerializer, Immutable, Alias("peftgrid.CellPage")]
public sealed record CellPage
{
    /// <summary>The sweep id.</summary>
    [Id(0)] public required string SweepId { get; init; }
    /// <summary>Cells matching the filters (all pages).</summary>
    [Id(1)] public int Matched { get; init; }
    /// <summary>Cells in the sweep.</summary>
    [Id(2)] public int Total { get; init; }
    /// <summary>The query's offset.</summary>
    [Id(3)] public int Offset { get; init; }
    /// <summary>The rows of this page (results not included).</summary>
    [Id(4)] public IReadOnlyList<CellInfo> Rows { get; init; } = [];
    /// <summary>Filter values present in the sweep: keys <c>task</c>, <c>model</c>, <c>method</c> (canonical text), <c>tier</c>
    /// (labels), <c>seed</c>, <c>status</c> (camelCase names, as JSON spells <see cref="CellStatus"/>); each list sorted.</summary>
    [Id(5)] public IReadOnlyDictionary<string, IReadOnlyList<string>> Facets { get; init; } = new Dictionary<string, IReadOnlyList<string>>();
}

/// <summary>A sweep's cells of one budget tier by status.</summary>
[GenerateSerializer, Immutable, Alias("peftgrid.TierStatus")]
public sealed record TierStatus
{
    /// <summary>Budget tier in % of the model; null for cells with explicit sizes.</summary>
    [Id(0)] public double? Tier { get; init; }
    /// <summary>Display label: <c>0.1%</c>, <c>2%</c>, or <c>explicit</c>.</summary>
    [Id(1)] public string Label { get; init; } = "";
    /// <summary>Cells of the tier.</summary>
    [Id(2)] public int Total { get; init; }
    /// <summary>Queued.</summary>
    [Id(3)] public int Pending { get; init; }
    /// <summary>Running.</summary>
    [Id(4)] public int Running { get; init; }
    /// <summary>Succeeded.</summary>
    [Id(5)] public int Succeeded { get; init; }
    /// <summary>Failed.</summary>
    [Id(6)] public int Failed { get; init; }
    /// <summary>Diverged.</summary>
    [Id(7)] public int Diverged { get; init; }
    /// <summary>Cancelled.</summary>
    [Id(8)] public int Cancelled { get; init; }

    /// <summary>The label of a tier: <c>explicit</c> for null, else the percentage with up to 4 decimals and a % sign.</summary>
    public static string LabelOf(double? tier) =>
        tier is { } t ? t.ToString("0.####", System.Globalization.CultureInfo.InvariantCulture) + "%" : "explicit";
}

/// <summary>A worker as the scheduler knows it (<see cref="ISchedulerGrain.ListWorkersAsync"/>).</summary>
[GenerateSerializer, Immutable, Alias("peftgrid.WorkerStatus")]
public sealed record WorkerStatus
{
    /// <summary>Worker id, <c>silo/device</c>.</summary>
    [Id(0)] public required string WorkerId { get; init; }
    /// <summary>Its silo (the part of the id before the last <c>/</c>).</summary>
    [Id(1)] public string Silo { get; init; } = "";
    /// <summary>Its device as registered (e.g. <c>cpu</c>, <c>cuda:0</c>).</summary>
    [Id(2)] public string Device { get; init; } = "";
    /// <summary>Last time the scheduler heard from it (registration, exchange, heartbeat), UTC.</summary>
    [Id(3)] public DateTime LastSeenUtc { get; init; }
    /// <summary>Heard from within the registry's timeout (one minute).</summary>
    [Id(4)] public bool Live { get; init; }
    /// <summary>Cells leased to it now.</summary>
    [Id(5)] public IReadOnlyList<string> Running { get; init; } = [];
    /// <summary>Its leases that expired (it missed its heartbeats) since the scheduler activation started.</summary>
    [Id(6)] public int LeaseExpiries { get; init; }
    /// <summary>Results it reported that the scheduler accepted, since the scheduler activation started.</summary>
    [Id(7)] public int Accepted { get; init; }
    /// <summary>Why its runner cannot run anything now (e.g. missing weights), or null.</summary>
    [Id(8)] public string? Unavailable { get; init; }
}
