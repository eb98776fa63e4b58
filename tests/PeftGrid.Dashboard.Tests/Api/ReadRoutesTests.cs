using System.Net;
using System.Text.Json;
using PeftGrid.Grains.Runners;
using Xunit;

namespace PeftGrid.Dashboard.Tests.Api;

/// <summary>A finished 9-cell sweep (3 methods × 0.5 % × seeds 1–3, pfeiffer fails) served by a silo's dashboard.</summary>
public sealed class FinishedSweep : IAsyncLifetime
{
    public ApiSilo Silo { get; private set; } = null!;
    public string SweepId { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Silo = await ApiSilo.StartAsync(new FakeRunnerOptions { CellMilliseconds = 100, CurveMilliseconds = 25, FailMethods = ["pfeiffer"] }, devices: 2);
        SweepId = await Silo.SubmitAsync("api", ["lora-attn", "pfeiffer", "prefix"], [0.5], [1, 2, 3]);
        var status = await Silo.WaitCompleteAsync(SweepId);
        Assert.Equal((6, 3), (status.Succeeded, status.Failed));
    }

    public async Task DisposeAsync() => await Silo.DisposeAsync();
}

public class ReadRoutesTests(FinishedSweep sweep) : IClassFixture<FinishedSweep>
{
    private ApiSilo Silo => sweep.Silo;

    [Fact]
    public async Task SweepsAndSweepAnswerStatusWithTiersAndCounts()
    {
        var (code, list) = await Silo.GetAsync("peftgrid/api/sweeps");
        Assert.Equal(HttpStatusCode.OK, code);
        var s = list.EnumerateArray().Single(e => e.GetProperty("sweepId").GetString() == sweep.SweepId);
        Assert.Equal((9, 6, 3, 0), (s.GetProperty("total").GetInt32(), s.GetProperty("succeeded").GetInt32(), s.GetProperty("failed").GetInt32(), s.GetProperty("pending").GetInt32()));
        var tier = Assert.Single(s.GetProperty("tiers").EnumerateArray());
        Assert.Equal(("0.5%", 9, 6, 3), (tier.GetProperty("label").GetString(), tier.GetProperty("total").GetInt32(), tier.GetProperty("succeeded").GetInt32(), tier.GetProperty("failed").GetInt32()));
        Assert.True(s.GetProperty("computeSeconds").GetDouble() > 0);

        var (one, body) = await Silo.GetAsync($"peftgrid/api/sweeps/{sweep.SweepId}");
        Assert.Equal(HttpStatusCode.OK, one);
        Assert.Equal(("api", 9), (body.GetProperty("name").GetString(), body.GetProperty("total").GetInt32()));
    }

    [Fact]
    public async Task CellPagesReachTheSchedulerWithPagingSortAndFilters()
    {
        var url = $"peftgrid/api/sweeps/{sweep.SweepId}/cells";
        var (_, page) = await Silo.GetAsync($"{url}?limit=4");
        Assert.Equal((9, 9, 4), (page.GetProperty("matched").GetInt32(), page.GetProperty("total").GetInt32(), page.GetProperty("rows").GetArrayLength()));
        Assert.Equal(["sst2"], page.GetProperty("facets").GetProperty("task").EnumerateArray().Select(e => e.GetString()!).ToArray());
        Assert.Equal(3, page.GetProperty("facets").GetProperty("method").GetArrayLength());

        var (_, failed) = await Silo.GetAsync($"{url}?status=FAILED");
        Assert.Equal(3, failed.GetProperty("matched").GetInt32());
        Assert.All(failed.GetProperty("rows").EnumerateArray(), r =>
        {
            Assert.Equal("failed", r.GetProperty("status").GetString());
            Assert.Contains("pfeiffer", r.GetProperty("error").GetString());
        });

        var (_, one) = await Silo.GetAsync($"{url}?method=prefix&seed=2");
        Assert.Equal(1, one.GetProperty("matched").GetInt32());
        Assert.Equal(2, one.GetProperty("rows")[0].GetProperty("spec").GetProperty("seed").GetInt32());

        var (_, sorted) = await Silo.GetAsync($"{url}?sort=seed&desc=true&limit=3");
        Assert.Equal([3, 3, 3], sorted.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("spec").GetProperty("seed").GetInt32()).ToArray());

        var (_, last) = await Silo.GetAsync($"{url}?offset=8&tier=0.5%25&task=sst2&model=minilm");
        Assert.Equal((9, 8, 1), (last.GetProperty("matched").GetInt32(), last.GetProperty("offset").GetInt32(), last.GetProperty("rows").GetArrayLength()));

        var (_, text) = await Silo.GetAsync($"{url}?q=matches");
        Assert.Equal(3, text.GetProperty("matched").GetInt32());
    }

    [Fact]
    public async Task CellAnswersSpecBudgetResultAndCurve()
    {
        var (_, page) = await Silo.GetAsync($"peftgrid/api/sweeps/{sweep.SweepId}/cells?method=lora&seed=1");
        var cellId = page.GetProperty("rows")[0].GetProperty("cellId").GetString()!;
        var (code, cell) = await Silo.GetAsync($"peftgrid/api/cells/{Uri.EscapeDataString(cellId)}");
        Assert.Equal(HttpStatusCode.OK, code);
        Assert.Equal("succeeded", cell.GetProperty("cell").GetProperty("status").GetString());
        Assert.Equal("minilm", cell.GetProperty("spec").GetProperty("model").GetString());
        var budget = cell.GetProperty("budget"); // the result's counts (the fake runner reports 0.5 % of 22,713,216)
        Assert.Equal((0.5, 22_713_216L, 113_566L), (budget.GetProperty("percent").GetDouble(), budget.GetProperty("totalCount").GetInt64(), budget.GetProperty("paperCount").GetInt64()));
        Assert.Equal("succeeded", cell.GetProperty("result").GetProperty("status").GetString());
        Assert.Equal(0, cell.GetProperty("history").GetArrayLength());

        var (_, curve) = await Silo.GetAsync($"peftgrid/api/cells/{Uri.EscapeDataString(cellId)}/curve");
        var points = curve.GetProperty("points");
        Assert.Equal(5, points.GetArrayLength()); // 4 loss points (100 ms / 25 ms) and the evaluation
        Assert.Equal("evaluation", points[4].GetProperty("kind").GetString());
        var (_, tail) = await Silo.GetAsync($"peftgrid/api/cells/{Uri.EscapeDataString(cellId)}/curve?from=3");
        Assert.Equal(2, tail.GetProperty("points").GetArrayLength());
    }

    [Fact]
    public async Task BoardsWorkersAndConfigAnswerTheirShapes()
    {
        var (_, boards) = await Silo.GetAsync("peftgrid/api/boards");
        var board = Assert.Single(boards.EnumerateArray());
        Assert.Equal(("sst2|minilm", "sst2", "minilm"), (board.GetProperty("key").GetString(), board.GetProperty("task").GetString(), board.GetProperty("model").GetString()));
        var (code, view) = await Silo.GetAsync("peftgrid/api/boards/sst2%7Cminilm");
        Assert.Equal(HttpStatusCode.OK, code);
        Assert.Equal(JsonValueKind.Object, view.ValueKind);

        var (_, workers) = await Silo.GetAsync("peftgrid/api/workers");
        Assert.Equal(2, workers.GetArrayLength());
        Assert.All(workers.EnumerateArray(), w =>
        {
            Assert.Equal($"{w.GetProperty("silo").GetString()}/cpu:", w.GetProperty("workerId").GetString()![..^1]);
            Assert.Equal("cpu", w.GetProperty("device").GetString());
            Assert.True(w.GetProperty("live").GetBoolean());
            Assert.True(w.TryGetProperty("leaseExpiries", out _) && w.TryGetProperty("examplesPerSecond", out _) && w.TryGetProperty("currentCell", out _));
        });
        Assert.Equal(9, workers.EnumerateArray().Sum(w => w.GetProperty("accepted").GetInt32()));
        // The workers' own reports (completed, throughput) arrive every 2 s: wait for the ones after the last cell.
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (workers.EnumerateArray().Sum(w => w.GetProperty("completed").GetInt64()) < 9 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
            (_, workers) = await Silo.GetAsync("peftgrid/api/workers");
        }
        Assert.Equal(9, workers.EnumerateArray().Sum(w => w.GetProperty("completed").GetInt64()));
        // Idle workers report 0 examples/s (WorkerInfo.ExamplesPerSecond); CellPageTests sees the fake runner's 1,000 while a cell runs.
        Assert.All(workers.EnumerateArray(), w => Assert.Equal(0, w.GetProperty("examplesPerSecond").GetDouble()));

        var (_, config) = await Silo.GetAsync("peftgrid/api/config");
        Assert.True(config.GetProperty("readOnly").GetBoolean());
        Assert.Equal("/peftgrid", config.GetProperty("pathBase").GetString());
    }

    [Theory]
    [InlineData("cells?sort=bogus", "sort: 'bogus' is not allowed; expected one of order, task, model, method, tier, seed, status, attempts, worker, duration, score")]
    [InlineData("cells?status=done", "status: 'done' is not allowed; expected one of pending, running, succeeded, failed, cancelled, diverged")]
    [InlineData("cells?limit=0", "limit: '0' is not allowed; expected an integer 1–500")]
    [InlineData("cells?limit=501", "limit: '501' is not allowed; expected an integer 1–500")]
    [InlineData("cells?offset=-1", "offset: '-1' is not allowed; expected an integer ≥ 0")]
    [InlineData("cells?desc=maybe", "desc: 'maybe' is not allowed; expected true or false")]
    [InlineData("cells?seed=x", "seed: 'x' is not allowed; expected an integer")]
    public async Task BadQueryValuesAnswer400NamingTheFieldAndAllowedValues(string query, string message)
    {
        var (code, body) = await Silo.GetAsync($"peftgrid/api/sweeps/{sweep.SweepId}/{query}");
        Assert.Equal(HttpStatusCode.BadRequest, code);
        Assert.Equal(message, body.GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("sweeps/nope", "unknown sweep 'nope'")]
    [InlineData("sweeps/nope/cells", "unknown sweep 'nope'")]
    [InlineData("cells/nope", "unknown cell 'nope'")]
    [InlineData("cells/nope/curve", "unknown cell 'nope'")]
    [InlineData("boards/x%7Cy", "unknown board 'x|y'")]
    public async Task UnknownThingsAnswer404(string route, string message)
    {
        var (code, body) = await Silo.GetAsync($"peftgrid/api/{route}");
        Assert.Equal(HttpStatusCode.NotFound, code);
        Assert.StartsWith(message, body.GetProperty("error").GetString());
    }
}
