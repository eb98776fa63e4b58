using System.Net;
using PeftGrid.Dashboard.Api;
using PeftGrid.Grains.Runners;
using Xunit;

namespace PeftGrid.Dashboard.Tests.Api;

public class TokenRulesTests
{
    private const string Token = "t0k3n-for-the-dashboard-tests";

    [Fact]
    public async Task WithoutATokenTheDashboardIsReadOnlyAndCancelIs403()
    {
        await using var silo = await ApiSilo.StartAsync(new FakeRunnerOptions { CellMilliseconds = 60_000 });
        var id = await silo.SubmitAsync("ro", ["lora-attn"], [0.5], [1, 2, 3]);
        var (code, body) = await silo.PostAsync($"peftgrid/api/sweeps/{id}/cancel", "anything");
        Assert.Equal(HttpStatusCode.Forbidden, code);
        Assert.Equal("read-only dashboard: no token is configured (PeftGrid:Dashboard:Token or PeftGrid:Dashboard:TokenFile)", body.GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await silo.PostAsync($"peftgrid/api/sweeps/{id}/retry")).Status);
        var status = await silo.Scheduler.GetStatusAsync(id);
        Assert.False(status.IsCancelled);
        Assert.Equal(0, status.Cancelled);
        var (_, st) = await silo.GetAsync("status");
        Assert.Equal(("none", true), (st.GetProperty("dashboard").GetProperty("tokenSource").GetString(), st.GetProperty("dashboard").GetProperty("readOnly").GetBoolean()));
    }

    [Fact]
    public async Task WrongTokenIs401AndTheRightOneCancels()
    {
        await using var silo = await ApiSilo.StartAsync(new FakeRunnerOptions { CellMilliseconds = 60_000 }, new Dictionary<string, string?> { ["Token"] = Token });
        var id = await silo.SubmitAsync("tok", ["lora-attn"], [0.5], [1, 2, 3]);
        Assert.Equal(HttpStatusCode.Unauthorized, (await silo.PostAsync($"peftgrid/api/sweeps/{id}/cancel")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await silo.PostAsync($"peftgrid/api/sweeps/{id}/cancel", Token + "x")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await silo.PostAsync($"peftgrid/api/sweeps/{id}/cancel", Token[..^1])).Status);
        Assert.False((await silo.Scheduler.GetStatusAsync(id)).IsCancelled);

        var (code, body) = await silo.PostAsync($"peftgrid/api/sweeps/{id}/cancel", Token);
        Assert.Equal(HttpStatusCode.OK, code);
        Assert.True(body.GetProperty("isCancelled").GetBoolean());
        Assert.True((await silo.Scheduler.GetStatusAsync(id)).IsCancelled);
        Assert.Equal(HttpStatusCode.NotFound, (await silo.PostAsync("peftgrid/api/sweeps/nope/cancel", Token)).Status);

        var (_, config) = await silo.GetAsync("peftgrid/api/config");
        Assert.False(config.GetProperty("readOnly").GetBoolean());
    }

    [Fact]
    public async Task TheRightTokenRerunsFailedCells()
    {
        var fake = new FakeRunnerOptions { CellMilliseconds = 20, FailSeeds = [2] };
        await using var silo = await ApiSilo.StartAsync(fake, new Dictionary<string, string?> { ["Token"] = Token });
        var id = await silo.SubmitAsync("retry", ["lora-attn", "prefix"], [0.5], [1, 2]);
        Assert.Equal(2, (await silo.WaitCompleteAsync(id)).Failed);
        Assert.Equal(HttpStatusCode.BadRequest, (await silo.PostAsync($"peftgrid/api/sweeps/{id}/retry?failed=false&diverged=false", Token)).Status);
        fake.FailSeeds.Clear();
        var (code, body) = await silo.PostAsync($"peftgrid/api/sweeps/{id}/retry?failed=true", Token);
        Assert.Equal(HttpStatusCode.OK, code);
        Assert.Equal((2, 0), (body.GetProperty("failed").GetInt32(), body.GetProperty("diverged").GetInt32()));
        var after = await silo.WaitCompleteAsync(id);
        Assert.Equal((4, 0), (after.Succeeded, after.Failed));
    }

    [Fact]
    public async Task StatusSaysWhereTheTokenComesFromNeverTheToken()
    {
        var file = Path.Combine(Path.GetTempPath(), $"peftgrid-token-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(file, Token + "\n");
        try
        {
            await using var silo = await ApiSilo.StartAsync(new FakeRunnerOptions(), new Dictionary<string, string?> { ["TokenFile"] = file });
            using var response = await silo.Http.GetAsync("status");
            var text = await response.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.DoesNotContain(Token, text);
            Assert.Contains("\"tokenSource\": \"file\"", text);
            Assert.Contains("\"kind\": \"silo\"", text);
            Assert.Contains("localhost clustering", text);
            Assert.Equal(HttpStatusCode.NotFound, (await silo.PostAsync("peftgrid/api/sweeps/x/cancel", Token)).Status); // the file's token passes
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task AnUnfinishedCellsBudgetIsComputedFromItsSpec()
    {
        await using var silo = await ApiSilo.StartAsync(new FakeRunnerOptions { CellMilliseconds = 60_000 });
        var id = await silo.SubmitAsync("budget", ["lora-attn"], [0.5], [1, 2]);
        var (_, page) = await silo.GetAsync($"peftgrid/api/sweeps/{id}/cells");
        var cellId = page.GetProperty("rows")[0].GetProperty("cellId").GetString()!;
        var (_, cell) = await silo.GetAsync($"peftgrid/api/cells/{Uri.EscapeDataString(cellId)}");
        Assert.Equal(System.Text.Json.JsonValueKind.Null, cell.GetProperty("result").ValueKind);
        var spec = (await silo.Scheduler.GetCellAsync(cellId))!.Spec;
        var expected = CellBudgets.Of(spec, null)!;
        var budget = cell.GetProperty("budget");
        Assert.Equal((expected.PaperCount, expected.TotalCount), (budget.GetProperty("paperCount").GetInt64(), budget.GetProperty("totalCount").GetInt64()));
        Assert.InRange(budget.GetProperty("percent").GetDouble(), 0.45, 0.55);
    }
}
