using PeftGrid.Grains.Runners;
using Xunit;
using Xunit.Abstractions;

namespace PeftGrid.Dashboard.Tests.Browser;

/// <summary>The sweep page in headless chromium against a real silo: live counts and failure reasons.</summary>
[Collection("Browser")]
public sealed class SweepPageTests(BrowserFixture browser, ITestOutputHelper output) : IClassFixture<BrowserFixture>
{
    private const string Done = "+document.querySelector('#summary [data-status=done]').dataset.count";

    [Fact]
    public async Task CountsMoveAsCellsFinishAndEndAtTheTotal()
    {
        await using var silo = await DashboardSilo.StartAsync(new FakeRunnerOptions { CellMilliseconds = 500 });
        var id = await silo.SubmitAsync("counts", ["lora-attn", "prefix", "houlsby", "mam"], [0.1, 1.0], [1, 2]);
        await using var page = await browser.NewPageAsync(output);
        await silo.OpenAsync(page, $"#/sweep/{id}");

        await DashboardSilo.WaitAsync(page, $"{Done} >= 1 && {Done} < 16");
        var first = await page.EvaluateExpressionAsync<int>(Done);
        await DashboardSilo.WaitAsync(page, $"{Done} > {first}");
        var second = await page.EvaluateExpressionAsync<int>(Done);
        Assert.InRange(second, first + 1, 16);
        await BrowserFixture.ScreenshotAsync(page, "sweep-running", output);

        await DashboardSilo.WaitAsync(page, $"{Done} === 16", 60);
        Assert.Equal(16, await page.EvaluateExpressionAsync<int>("+document.querySelector('#summary [data-status=succeeded]').dataset.count"));
        Assert.Equal(16, await page.EvaluateExpressionAsync<int>("document.querySelectorAll('#cells tbody tr[data-status=succeeded]').length"));
        Assert.Equal("complete", await page.EvaluateExpressionAsync<string>("document.querySelector('#eta').textContent"));
        // The same numbers on the sweeps list, with a row per budget tier.
        await silo.OpenAsync(page, "#/");
        await DashboardSilo.WaitAsync(page, $"document.querySelector('tr.sweep-row[data-sweep-id=\"{id}\"] [data-status=done]')?.dataset.count === '16'");
        Assert.Equal(["0.1%", "1%"], await page.EvaluateExpressionAsync<string[]>(
            $"[...document.querySelectorAll('tr.tier-row[data-sweep-id=\"{id}\"]')].map(r => r.dataset.tier)"));
        await BrowserFixture.ScreenshotAsync(page, "sweeps-done", output);
    }

    [Fact]
    public async Task AFailingCellShowsItsReasonInTheTable()
    {
        await using var silo = await DashboardSilo.StartAsync(new FakeRunnerOptions { CellMilliseconds = 20, FailMethods = ["pfeiffer"] }, devices: 2);
        var id = await silo.SubmitAsync("failing", ["lora-attn", "pfeiffer", "prefix"], [0.5], [1, 2, 3]);
        Assert.Equal(3, (await silo.WaitCompleteAsync(id)).Failed);
        await using var page = await browser.NewPageAsync(output);
        await silo.OpenAsync(page, $"#/sweep/{id}");
        await DashboardSilo.WaitAsync(page, "document.querySelectorAll('#cells tbody tr[data-cell-id]').length === 9");
        Assert.Equal(3, await page.EvaluateExpressionAsync<int>("+document.querySelector('#summary [data-status=failed]').dataset.count"));

        // Filter by status through the facet select: only the failed cells, each with the runner's reason.
        await DashboardSilo.WaitAsync(page, "[...document.querySelectorAll('#filter-status option')].some(o => o.value === 'failed')");
        await page.SelectAsync("#filter-status", "failed");
        await DashboardSilo.WaitAsync(page, "document.querySelectorAll('#cells tbody tr[data-cell-id]').length === 3");
        var reasons = await page.EvaluateExpressionAsync<string[]>("[...document.querySelectorAll('#cells tbody tr[data-status=failed] td.reason')].map(td => td.textContent)");
        Assert.Equal(3, reasons.Length);
        Assert.All(reasons, r => Assert.Contains("fake failure: method 'pfeiffer", r));
        Assert.Contains("status=failed", await page.EvaluateExpressionAsync<string>("location.hash"));
        Assert.Equal("1–3 of 3 (filtered from 9)", await page.EvaluateExpressionAsync<string>("document.querySelector('#matched').textContent"));
        // Read-only (no token configured): the actions are disabled and say why.
        Assert.True(await page.EvaluateExpressionAsync<bool>("document.querySelector('#rerun').disabled"));
        Assert.Contains("Read-only", await page.EvaluateExpressionAsync<string>("document.querySelector('#rerun').title"));
        await BrowserFixture.ScreenshotAsync(page, "sweep-failed-filter", output);

        // A row click opens the cell with its error.
        await page.ClickAsync("#cells tbody tr[data-status=failed] td");
        await DashboardSilo.WaitAsync(page, "document.querySelector('#cell-error')");
        Assert.Contains("fake failure", await page.EvaluateExpressionAsync<string>("document.querySelector('#cell-error').textContent"));
    }
}
