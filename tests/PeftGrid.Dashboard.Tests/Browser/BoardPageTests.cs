using PeftGrid.Grains.Runners;
using Xunit;
using Xunit.Abstractions;

namespace PeftGrid.Dashboard.Tests.Browser;

/// <summary>The leaderboard page of a finished sweep: a tab per tier, mean ± std over seeds, the score-vs-% parameters plot.</summary>
[Collection("Browser")]
public sealed class BoardPageTests(BrowserFixture browser, ITestOutputHelper output) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task AFinishedSweepShowsItsLeaderboardPerTierWithThePlotDrawn()
    {
        string[] methods = ["lora-attn", "prefix", "houlsby", "mam"];
        await using var silo = await DashboardSilo.StartAsync(new FakeRunnerOptions { CellMilliseconds = 0 }, devices: 2);
        var id = await silo.SubmitAsync("board", methods, [0.1, 0.5, 2.0], [1, 2]);
        Assert.Equal(24, (await silo.WaitCompleteAsync(id)).Succeeded);
        await using var page = await browser.NewPageAsync(output);
        await silo.OpenAsync(page, "#/board/" + Uri.EscapeDataString("sst2|minilm"));

        await DashboardSilo.WaitAsync(page, "document.querySelectorAll('#tiers .tab').length > 0 && document.querySelectorAll('#board-plot circle.marker').length > 0");
        Assert.Equal(["0.1%", "0.5%", "2%"], await page.EvaluateExpressionAsync<string[]>("[...document.querySelectorAll('#tiers .tab')].map(t => t.dataset.tier)"));
        Assert.Equal("0.1%", await page.EvaluateExpressionAsync<string>("document.querySelector('#tiers .tab.active').dataset.tier"));
        // One marker per method and tier; the selected tier's markers are the highlighted ones.
        Assert.Equal(12, await page.EvaluateExpressionAsync<int>("document.querySelectorAll('#board-plot circle.marker').length"));
        // Methods are shown in their resolved form (sizes solved for the tier), e.g. lora-attn[r=2,alpha=4].
        Assert.Equal(methods.Order(), (await page.EvaluateExpressionAsync<string[]>(
            "[...document.querySelectorAll('#board-plot circle.marker.current')].map(c => c.dataset.family)")).Order());
        Assert.Equal(4, await page.EvaluateExpressionAsync<int>("document.querySelectorAll('#board tbody tr[data-method]').length"));
        // Mean ± std over the two seeds, ranks 1..4, at least one Pareto row, and a drawn Pareto front.
        var cells = await page.EvaluateExpressionAsync<string[]>("[...document.querySelectorAll('#board tbody tr')].map(r => r.children[2].textContent)");
        Assert.All(cells, c => Assert.Matches(@"^\d+\.\d\d ± \d+\.\d\d", c));
        Assert.Equal(["1", "2", "3", "4"], await page.EvaluateExpressionAsync<string[]>("[...document.querySelectorAll('#board tbody tr')].map(r => r.children[0].textContent)"));
        Assert.True(await page.EvaluateExpressionAsync<int>("document.querySelectorAll('#board tbody tr[data-pareto=true]').length") >= 1);
        Assert.True(await page.EvaluateExpressionAsync<int>("document.querySelectorAll('#board-plot text.tick').length") >= 6);

        // Another tab: its rows and markers; hovering a marker shows the configuration.
        await page.ClickAsync("#tiers .tab[data-tier='2%']");
        await DashboardSilo.WaitAsync(page, "[...document.querySelectorAll('#board-plot circle.marker.current')].every(c => c.dataset.tier === '2%')");
        Assert.Equal(4, await page.EvaluateExpressionAsync<int>("document.querySelectorAll('#board-plot circle.marker.current').length"));
        await page.HoverAsync("#board-plot circle.marker.current");
        await DashboardSilo.WaitAsync(page, "!document.querySelector('#tooltip').hidden");
        var tip = await page.EvaluateExpressionAsync<string>("document.querySelector('#tooltip').textContent");
        Assert.Contains("tier 2%", tip);
        Assert.Contains(methods, m => tip.Contains(m, StringComparison.Ordinal));
        await BrowserFixture.ScreenshotAsync(page, "board-tier-2pct", output);
    }
}
