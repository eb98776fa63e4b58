using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PeftGrid.Contracts.Grid;

namespace PeftGrid.Dashboard.Api;

/// <summary>The read routes of the API (README-api.md): sweeps, cell pages, cells, curves, boards, workers, config.</summary>
public static class ReadRoutes
{
    /// <summary>Maps them on <paramref name="api"/> (the <c>{PathBase}/api</c> group).</summary>
    /// <param name="api">The group.</param>
    /// <param name="config">What <c>/api/config</c> answers.</param>
    public static void Map(RouteGroupBuilder api, DashboardConfig config)
    {
        api.MapGet("/config", () => DashboardJson.Ok(config));
        api.MapGet("/sweeps", async (IGrainFactory g) => DashboardJson.Ok(await Scheduler(g).ListStatusesAsync()));
        api.MapGet("/sweeps/{id}", async (IGrainFactory g, string id) => DashboardJson.Ok(await Scheduler(g).GetStatusAsync(id)));
        api.MapGet("/sweeps/{id}/cells", async (IGrainFactory g, string id, HttpRequest request) =>
            DashboardJson.Ok(await Scheduler(g).QueryCellsAsync(id, DashboardQuery.Cells(request.Query))));
        api.MapGet("/cells/{cellId}", async (IGrainFactory g, string cellId) => DashboardJson.Ok(await CellAsync(g, cellId)));
        api.MapGet("/cells/{cellId}/curve", async (IGrainFactory g, string cellId, HttpRequest request) =>
        {
            var from = DashboardQuery.Int(request.Query, "from", 0, 0, int.MaxValue);
            _ = await Scheduler(g).GetCellAsync(cellId) ?? throw UnknownCell(cellId);
            return DashboardJson.Ok(await g.GetGrain<IExperimentGrain>(cellId).GetCurveAsync(from));
        });
        api.MapGet("/boards", async (IGrainFactory g) => DashboardJson.Ok((await Scheduler(g).ListBoardsAsync())
            .Select(k => k.Split('|', 2)).Select(p => new BoardRef($"{p[0]}|{p.ElementAtOrDefault(1)}", p[0], p.ElementAtOrDefault(1) ?? ""))
            .OrderBy(b => b.Key, StringComparer.Ordinal).ToList()));
        api.MapGet("/boards/{key}", async (IGrainFactory g, string key) =>
        {
            var boards = await Scheduler(g).ListBoardsAsync();
            var known = boards.FirstOrDefault(b => b.Equals(key, StringComparison.Ordinal))
                ?? throw new KeyNotFoundException($"unknown board '{key}' (known: {(boards.Count == 0 ? "none" : string.Join(", ", boards.Take(10)))})");
            return DashboardJson.Ok(await g.GetGrain<ILeaderboardGrain>(known).GetAsync());
        });
        api.MapGet("/workers", async (IGrainFactory g) => DashboardJson.Ok(await WorkersAsync(g)));
    }

    /// <summary>The scheduler.</summary>
    public static ISchedulerGrain Scheduler(IGrainFactory g) => g.GetGrain<ISchedulerGrain>(GrainKeys.Scheduler);

    /// <summary>PeftGrid's version (the dashboard assembly's informational version without the source hash).</summary>
    public static string Version { get; } =
        (typeof(ReadRoutes).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0").Split('+')[0];

    private static KeyNotFoundException UnknownCell(string cellId) => new($"unknown cell '{cellId}'");

    private static async Task<CellDetail> CellAsync(IGrainFactory g, string cellId)
    {
        var cell = await Scheduler(g).GetCellAsync(cellId) ?? throw UnknownCell(cellId);
        var snapshot = await g.GetGrain<IExperimentGrain>(cellId).GetAsync();
        var result = snapshot.Result ?? cell.Result;
        return new CellDetail(cell, cell.Spec, CellBudgets.Of(cell.Spec, result), result, snapshot.History);
    }

    private static async Task<IReadOnlyList<WorkerView>> WorkersAsync(IGrainFactory g)
    {
        var workers = await Scheduler(g).ListWorkersAsync();
        var reports = await Task.WhenAll(workers.Select(w => g.GetGrain<IGpuWorkerGrain>(w.WorkerId).GetAsync()));
        return workers.Zip(reports, (w, r) => new WorkerView(w.WorkerId, w.Silo, w.Device, w.Live, w.LastSeenUtc, w.Running,
            r?.Running.FirstOrDefault() ?? w.Running.FirstOrDefault(), r?.ExamplesPerSecond ?? 0, r?.LastSeenUtc, r?.Completed ?? 0,
            w.LeaseExpiries, w.Accepted, w.Unavailable)).ToList();
    }
}
