using System.Globalization;
using System.Net;
using Microsoft.Extensions.Hosting;
using PeftGrid.Integration.Tests;
using PeftGrid.Dashboard;
using PeftGrid.Silo.Hosting;
using Xunit;

namespace PeftGrid.Integration.Tests.Security;

/// <summary>The silo's dashboard answers only allowed <c>Host</c> headers (DNS rebinding): loopback names by default,
/// <c>PeftGrid:Dashboard:AllowedHosts</c> when configured.</summary>
public sealed class DashboardHostFilterTests
{
    private static async Task<int> StatusAsync(int port, string host)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}/");
        request.Headers.Host = host;
        using var response = await http.SendAsync(request);
        return (int)response.StatusCode;
    }

    private static async Task<T> WithSiloAsync<T>(Dictionary<string, string?> extra, Func<int, Task<T>> body)
    {
        var dashboard = Processes.FreePort();
        var cfg = new Dictionary<string, string?>
        {
            ["PeftGrid:SiloPort"] = Processes.FreePort().ToString(CultureInfo.InvariantCulture),
            ["PeftGrid:GatewayPort"] = Processes.FreePort().ToString(CultureInfo.InvariantCulture),
            ["PeftGrid:Runner"] = "fake",
            ["PeftGrid:Dashboard:Enabled"] = "true",
            ["PeftGrid:Dashboard:Port"] = dashboard.ToString(CultureInfo.InvariantCulture),
            ["ConnectionStrings:Redis"] = "",
            ["PEFTGRID_REDIS"] = "",
            ["PEFTGRID_REDIS_FILE"] = "",
        };
        foreach (var (k, v) in extra) { cfg[k] = v; }
        using var host = SiloHost.Build([], cfg);
        await host.StartAsync();
        try
        {
            return await body(dashboard);
        }
        finally
        {
            await host.StopAsync(TimeSpan.FromSeconds(20));
        }
    }

    [Fact]
    public async Task OnlyLoopbackHostNamesAreAnsweredByDefault()
    {
        var codes = await WithSiloAsync([], async port => new[]
        {
            await StatusAsync(port, "evil.example"), await StatusAsync(port, $"evil.example:{port}"),
            await StatusAsync(port, "localhost"), await StatusAsync(port, $"127.0.0.1:{port}"), await StatusAsync(port, $"[::1]:{port}"),
        });
        Assert.Equal([400, 400, 200, 200, 200], codes);
    }

    [Fact]
    public async Task ConfiguredAllowedHostsReplaceTheLoopbackNames()
    {
        var codes = await WithSiloAsync(new() { ["PeftGrid:Dashboard:AllowedHosts:0"] = "grid.example.org" }, async port => new[]
        {
            await StatusAsync(port, "grid.example.org"), await StatusAsync(port, "evil.example"), await StatusAsync(port, "localhost"),
        });
        Assert.Equal([200, 400, 400], codes);
    }
}
