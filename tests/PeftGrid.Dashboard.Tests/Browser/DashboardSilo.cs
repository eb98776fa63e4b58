using PeftGrid.Contracts.Grid;
using PeftGrid.Grains.Runners;
using PeftGrid.Silo.Hosting;
using PuppeteerSharp;

namespace PeftGrid.Dashboard.Tests.Browser;

/// <summary>A real in-process silo with the fake trial runner and the dashboard on a free loopback port, and the page helpers the
/// browser tests share.</summary>
public sealed class DashboardSilo : IAsyncDisposable
{
    private DashboardSilo(EmbeddedCluster cluster, int port) => (Cluster, Port) = (cluster, port);

    public EmbeddedCluster Cluster { get; }
    public int Port { get; }
    /// <summary>The page's URL, <c>http://127.0.0.1:PORT/peftgrid/</c>.</summary>
    public string Url => $"http://127.0.0.1:{Port}/peftgrid/";
    public ISchedulerGrain Scheduler => Cluster.Client.GetGrain<ISchedulerGrain>(GrainKeys.Scheduler);

    public static async Task<DashboardSilo> StartAsync(FakeRunnerOptions fake, int devices = 1)
    {
        var port = TestSweeps.FreePort();
        var cluster = await EmbeddedCluster.StartAsync(new EmbeddedClusterOptions
        {
            Runner = new FakeTrialRunner(fake),
            Devices = Enumerable.Range(0, devices).Select(i => $"cpu:{i}").ToList(),
            PollMilliseconds = 20,
            Dashboard = true,
            DashboardPort = port,
        });
        return new DashboardSilo(cluster, port);
    }

    /// <summary>Submits the cells task × model × methods × tiers × seeds as one sweep; returns its id (<see cref="TestSweeps.SubmitAsync"/>).</summary>
    public Task<string> SubmitAsync(string name, IEnumerable<string> methods, IEnumerable<double?> tiers, IEnumerable<int> seeds, int maxAttempts = 1,
        string task = "sst2", string model = "minilm") => TestSweeps.SubmitAsync(Scheduler, name, methods, tiers, seeds, maxAttempts, task, model);

    /// <summary>Waits (up to <paramref name="seconds"/>) until the sweep has no pending or running cell.</summary>
    public Task<SweepStatus> WaitCompleteAsync(string sweepId, int seconds = 60) => TestSweeps.WaitCompleteAsync(Scheduler, sweepId, seconds);

    /// <summary>Navigates to a hash route of the page (e.g. <c>#/sweep/ID</c>): loads the page, or only changes the hash when it is loaded.</summary>
    public async Task OpenAsync(IPage page, string hash)
    {
        if (page.Url.StartsWith(Url, StringComparison.Ordinal))
        {
            await page.EvaluateFunctionAsync("h => { location.hash = h; }", hash);
            return;
        }
        var response = await page.GoToAsync(Url + hash, WaitUntilNavigation.DOMContentLoaded);
        if (response is null || !response.Ok)
        {
            throw new InvalidOperationException($"GET {Url} answered {response?.Status}");
        }
    }

    /// <summary>Waits until a JS expression is truthy in the page (up to <paramref name="seconds"/>).</summary>
    /// <exception cref="TimeoutException">It did not become true; the message names it and shows the start of the page's text.</exception>
    public static async Task WaitAsync(IPage page, string expression, int seconds = 30)
    {
        try
        {
            await page.WaitForFunctionAsync($"() => {{ try {{ return !!({expression}); }} catch {{ return false; }} }}",
                new WaitForFunctionOptions { Timeout = seconds * 1000, PollingInterval = 50 });
        }
        catch (WaitTaskTimeoutException)
        {
            var text = await page.EvaluateExpressionAsync<string>("document.querySelector('#view').innerText.slice(0, 600)");
            throw new TimeoutException($"waited {seconds} s for `{expression}`; the page shows: {text.ReplaceLineEndings(" | ")}");
        }
    }

    public async ValueTask DisposeAsync() => await Cluster.DisposeAsync();
}
