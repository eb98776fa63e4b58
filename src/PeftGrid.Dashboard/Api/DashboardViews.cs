using PeftGrid.Contracts.Grid;
using PeftGrid.Contracts.Trials;

namespace PeftGrid.Dashboard.Api;

/// <summary><c>GET /api/config</c>: what the page needs to know about the server.</summary>
/// <param name="ReadOnly">No token is configured: the page hides the actions.</param>
/// <param name="PathBase">The path the dashboard is served under.</param>
/// <param name="Version">PeftGrid's version.</param>
public sealed record DashboardConfig(bool ReadOnly, string PathBase, string Version);

/// <summary><c>GET /api/cells/{cellId}</c>.</summary>
/// <param name="Cell">The cell as the scheduler sees it.</param>
/// <param name="Spec">Its spec.</param>
/// <param name="Budget">Its counts, null when the model's shape is unknown here (a checkpoint path) or the spec is invalid.</param>
/// <param name="Result">The accepted result of the current run, or null.</param>
/// <param name="History">Results of earlier runs, oldest first.</param>
public sealed record CellDetail(CellInfo Cell, TrialSpec Spec, BudgetReport? Budget, TrialResult? Result, IReadOnlyList<ExperimentRun> History);

/// <summary>One leaderboard of <c>GET /api/boards</c>.</summary>
/// <param name="Key">Its key, <c>task|model</c>.</param>
/// <param name="Task">Task.</param>
/// <param name="Model">Model.</param>
public sealed record BoardRef(string Key, string Task, string Model);

/// <summary>One worker of <c>GET /api/workers</c>: the scheduler's view (<see cref="WorkerStatus"/>) joined with the worker's own
/// report (<see cref="WorkerInfo"/>; its fields are zero/null when it never reported to the current activation).</summary>
/// <param name="WorkerId">Worker id, <c>silo/device</c>.</param>
/// <param name="Silo">Its silo.</param>
/// <param name="Device">Its device.</param>
/// <param name="Live">Heard from within the registry's timeout.</param>
/// <param name="LastSeenUtc">Last time the scheduler heard from it.</param>
/// <param name="Running">Cells leased to it.</param>
/// <param name="CurrentCell">The first cell it reports running, or null when idle.</param>
/// <param name="ExamplesPerSecond">Its latest training throughput.</param>
/// <param name="LastHeartbeatUtc">Its latest report, or null.</param>
/// <param name="Completed">Attempts it finished since it started.</param>
/// <param name="LeaseExpiries">Its expired leases.</param>
/// <param name="Accepted">Results of it the scheduler accepted.</param>
/// <param name="Unavailable">Why its runner cannot run anything now, or null.</param>
public sealed record WorkerView(string WorkerId, string Silo, string Device, bool Live, DateTime LastSeenUtc, IReadOnlyList<string> Running,
    string? CurrentCell, double ExamplesPerSecond, DateTime? LastHeartbeatUtc, long Completed, int LeaseExpiries, int Accepted, string? Unavailable);

/// <summary><c>GET /status</c>: the host and its dashboard, never a secret.</summary>
/// <param name="Kind"><c>silo</c> or <c>client</c>.</param>
/// <param name="ClusterId">Orleans cluster id.</param>
/// <param name="ServiceId">Orleans service id.</param>
/// <param name="Silo">Silo name, or null.</param>
/// <param name="Clustering">How the cluster is reached, without secrets.</param>
/// <param name="Dashboard">The dashboard's access.</param>
public sealed record StatusView(string Kind, string ClusterId, string ServiceId, string? Silo, string Clustering, DashboardStatus Dashboard);

/// <summary>The dashboard part of <see cref="StatusView"/>.</summary>
/// <param name="ReadOnly">No token configured.</param>
/// <param name="TokenSource"><c>none</c>, <c>setting</c> or <c>file</c>.</param>
/// <param name="PathBase">Its path.</param>
public sealed record DashboardStatus(bool ReadOnly, string TokenSource, string PathBase);

/// <summary>An error answer: <c>{ "error": "one line" }</c>.</summary>
/// <param name="Error">The message.</param>
public sealed record DashboardError(string Error);
