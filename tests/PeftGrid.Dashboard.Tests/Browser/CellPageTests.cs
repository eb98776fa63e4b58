using PeftGrid.Grains.Runners;
using Xunit;
using Xunit.Abstractions;

namespace PeftGrid.Dashboard.Tests.Browser;

/// <summary>The cell page: the training curve grows while the cell runs, then shows the final curve and the result JSON.</summary>
[Collection("Browser")]
public sealed class CellPageTests(BrowserFixture browser, ITestOutputHelper output) : IClassFixture<BrowserFixture>
{
    private const string Points = "+(document.querySelector('#curve path.loss-line')?.dataset.points ?? 0)";

    [Fact]
    public async Task ARunningCellsTrainingCurveGrows()
    {
        await using var silo = await DashboardSilo.StartAsync(new FakeRunnerOptions { CellMilliseconds = 12_000, CurveMilliseconds = 150 });
        var id = await silo.SubmitAsync("curve", ["lora-attn"], [0.5], [1]);
        var cell = (await silo.Scheduler.GetCellsAsync(id)).Single().CellId;
        await using var page = await browser.NewPageAsync(output);
        await silo.OpenAsync(page, $"#/cell/{cell}");

        await DashboardSilo.WaitAsync(page, $"document.querySelector('#cell-status')?.dataset.status === 'running' && {Points} >= 2");
        var first = await page.EvaluateExpressionAsync<int>(Points);
        await DashboardSilo.WaitAsync(page, $"{Points} > {first}");
        var second = await page.EvaluateExpressionAsync<int>(Points);
        Assert.True(second > first, $"curve points {first} then {second}");
        // The path has as many points as it says: one M and (n − 1) L commands.
        var d = await page.EvaluateExpressionAsync<string>("document.querySelector('#curve path.loss-line').getAttribute('d')");
        Assert.True(d.Count(ch => ch == 'L') + 1 >= second);
        Assert.Equal("true", await page.EvaluateExpressionAsync<string>("document.querySelector('#curve-info').dataset.live"));
        await BrowserFixture.ScreenshotAsync(page, "cell-curve-live", output);

        // The workers page shows the worker running this cell, with its speed and a recent heartbeat.
        await silo.OpenAsync(page, "#/workers");
        await DashboardSilo.WaitAsync(page, $"document.querySelector('#workers tbody tr[data-live=true] a[href=\"#/cell/{cell}\"]')");
        Assert.Equal(1, await page.EvaluateExpressionAsync<int>("+document.querySelector('#workers-meta').dataset.live"));
        // Its throughput while the cell runs: the fake runner reports 1,000 examples/s (an idle worker reports 0, shown as —).
        Assert.Contains("1,000", await page.EvaluateExpressionAsync<string>($"document.querySelector('#workers tbody tr[data-live=true]').innerText"));
        await BrowserFixture.ScreenshotAsync(page, "workers", output);
        await silo.OpenAsync(page, $"#/cell/{cell}");

        await DashboardSilo.WaitAsync(page, "document.querySelector('#cell-status')?.dataset.status === 'succeeded'", 40);
        await DashboardSilo.WaitAsync(page, "document.querySelector('#result-json').textContent.includes('\"accuracy\"')");
        Assert.True(await page.EvaluateExpressionAsync<int>(Points) >= second);
        await BrowserFixture.ScreenshotAsync(page, "cell-finished", output);
    }
}
