using System.Diagnostics;
using PuppeteerSharp;

namespace PeftGrid.Benchmarks;

/// <summary>
/// The page side of <see cref="DashboardBenchmark"/>: the sweep page of a large finished sweep in headless Debian chromium
/// (<c>/usr/bin/chromium</c>, never downloaded). Times are taken in the page with <c>performance.now()</c> (from navigation start
/// for a load, from the user's action for an interaction), so CDP round trips are not counted.
/// </summary>
public static class DashboardPageTiming
{
    private const string Chromium = "/usr/bin/chromium";
    // Set by a MutationObserver injected before the page's scripts: the first moment a cell row and the counts are both in the DOM.
    private const string FirstRenderProbe = """
        new MutationObserver((_, o) => {
          if (window.__ttfr === undefined && document.querySelector('#cells tbody tr[data-cell-id]') && document.querySelector('#summary [data-status=done]')) {
            window.__ttfr = performance.now(); o.disconnect();
          }
        }).observe(document, { childList: true, subtree: true });
        """;

    /// <summary>Measures <paramref name="repetitions"/> loads and interactions; returns name → milliseconds (p50 and max of each).</summary>
    public static async Task<Dictionary<string, double>> MeasureAsync(string dashboardUrl, string sweepId, int repetitions = 9)
    {
        if (!File.Exists(Chromium))
        {
            Console.WriteLine($"page timings skipped: {Chromium} is missing (bash eng/setup.sh installs it)");
            return [];
        }
        var profile = Directory.CreateTempSubdirectory("peftgrid-bench-chromium-").FullName;
        await using var browser = await Puppeteer.LaunchAsync(new LaunchOptions
        {
            ExecutablePath = Chromium, Headless = true, UserDataDir = profile,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
        });
        var url = $"{dashboardUrl}#/sweep/{sweepId}";
        var (cold, warm, filter, sort, next) = (new List<double>(), new List<double>(), new List<double>(), new List<double>(), new List<double>());
        for (var r = 0; r <= repetitions; r++) // r = 0 warms the server and the browser up, not measured
        {
            await using var context = await browser.CreateBrowserContextAsync(); // fresh cache: a cold load
            await using var page = await context.NewPageAsync();
            await page.SetViewportAsync(new ViewPortOptions { Width = 1400, Height = 900 });
            await page.EvaluateExpressionOnNewDocumentAsync(FirstRenderProbe);
            var coldMs = await LoadAsync(page, url);
            await page.GoToAsync("about:blank");
            var warmMs = await LoadAsync(page, url); // same tab again: assets from the HTTP cache (ETag revalidation)
            var filterMs = await InteractAsync(page,
                "() => { const s = document.querySelector('#filter-status'); s.value = 'failed'; s.dispatchEvent(new Event('change')); }",
                "[...document.querySelectorAll('#cells tbody tr[data-cell-id]')].every(t => t.dataset.status === 'failed') && document.querySelector('#cells tbody tr[data-cell-id]')");
            var sortMs = await InteractAsync(page, "() => document.querySelector('#cells th[data-sort=score]').click()",
                "document.querySelector('#cells th[data-sort=score]').classList.contains('sorted') && document.querySelector('#matched').textContent.startsWith('1–')");
            var nextMs = await InteractAsync(page,
                "() => { window.__first = document.querySelector('#cells tbody tr[data-cell-id]').dataset.cellId; document.querySelector('#next').click(); }",
                "document.querySelector('#matched').textContent.startsWith('51–') && document.querySelector('#cells tbody tr[data-cell-id]').dataset.cellId !== window.__first");
            if (r > 0)
            {
                cold.Add(coldMs); warm.Add(warmMs); filter.Add(filterMs); sort.Add(sortMs); next.Add(nextMs);
            }
        }
        await browser.CloseAsync();
        try { Directory.Delete(profile, recursive: true); } catch (IOException) { /* chromium may still hold its profile */ }
        var result = new Dictionary<string, double>();
        foreach (var (name, ms) in new[] { ("sweep page first render (rows + counts), cold cache", cold), ("sweep page first render, warm cache", warm),
                     ("filter status=failed -> rows", filter), ("sort by metric -> rows", sort), ("next page -> rows", next) })
        {
            result[$"page: {name}, p50 of {ms.Count}"] = GridBenchmark.Percentile(ms, 0.5);
            result[$"page: {name}, max"] = ms.Max();
        }
        return result;
    }

    private static async Task<double> LoadAsync(IPage page, string url)
    {
        await page.GoToAsync(url, WaitUntilNavigation.DOMContentLoaded);
        await page.WaitForFunctionAsync("() => window.__ttfr !== undefined", new WaitForFunctionOptions { Timeout = 60_000, PollingInterval = 10 });
        return await page.EvaluateExpressionAsync<double>("window.__ttfr");
    }

    // Runs the action in the page and returns the in-page time until the condition holds (checked every animation frame).
    private static async Task<double> InteractAsync(IPage page, string action, string done)
    {
        var script = $$"""
            () => new Promise((resolve, reject) => {
              const t0 = performance.now();
              ({{action}})();
              const check = () => { try { if ({{done}}) return resolve(performance.now() - t0); } catch {} 
                if (performance.now() - t0 > 60000) return reject(new Error('timed out: {{done.Replace("'", "\\'")}}'));
                requestAnimationFrame(check); };
              requestAnimationFrame(check);
            })
            """;
        return await page.EvaluateFunctionAsync<double>(script);
    }
}
