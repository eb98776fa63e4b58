using System.Net;
using PeftGrid.Client;
using PeftGrid.Dashboard.Hosting;
using PeftGrid.Dashboard.Tests.Api;
using PeftGrid.Grains.Runners;
using Xunit;

namespace PeftGrid.Dashboard.Tests.Hosting;

public class ClientDashboardTests
{
    [Fact]
    public void HostInfoDescribesRedisByItsEndpointsWithoutThePassword()
    {
        var info = ClientDashboard.HostInfo(new ClusterConnection { Redis = "10.0.0.5:6379,password=hunter2-redis-secret", ClusterId = "c1", ServiceId = "s1" });
        Assert.Equal(("client", "c1", "s1", "Redis at 10.0.0.5:6379"), (info.Kind, info.ClusterId, info.ServiceId, info.Clustering));
    }

    [Fact]
    public async Task TheClientSideDashboardServesTheApiAndAStatusWithoutSecrets()
    {
        await using var silo = await ApiSilo.StartAsync(new FakeRunnerOptions { CellMilliseconds = 10 });
        var id = await silo.SubmitAsync("client", ["lora-attn"], [0.5], [1, 2]);
        await silo.WaitCompleteAsync(id);
        var settings = new DashboardSettings { Port = 0, Token = "client-side-token-value" };
        // The client reached the cluster through a Redis with a password (as far as /status knows): it must not show.
        var connection = new ClusterConnection { Redis = "127.0.0.1:6379,password=hunter2-redis-secret" };
        await using var app = ClientDashboard.Build(settings, connection, silo.Client);
        await app.StartAsync();
        var url = ClientDashboard.Url(app, settings);
        Assert.Matches(@"^http://127\.0\.0\.1:\d+/peftgrid/$", url);
        using var http = new HttpClient { BaseAddress = new Uri(url) };
        var status = await http.GetStringAsync("/status");
        Assert.DoesNotContain("hunter2", status);
        Assert.DoesNotContain("client-side-token-value", status);
        Assert.Contains("\"clustering\": \"Redis at 127.0.0.1:6379\"", status);
        Assert.Contains("\"tokenSource\": \"setting\"", status);
        Assert.Contains("\"kind\": \"client\"", status);
        var sweep = await http.GetStringAsync($"api/sweeps/{id}");
        Assert.Contains("\"succeeded\": 2", sweep);
        await app.StopAsync();
    }

    [Fact]
    public async Task AnUnreachableClusterAnswers503()
    {
        var silo = await ApiSilo.StartAsync(new FakeRunnerOptions());
        var connection = new ClusterConnection { GatewayPort = silo.GatewayPort, ResponseTimeout = TimeSpan.FromSeconds(3), ConnectTimeout = TimeSpan.FromSeconds(10) };
        await using var client = await PeftGridClient.ConnectAsync(connection);
        var settings = new DashboardSettings { Port = 0 };
        await using var app = ClientDashboard.Build(settings, connection, client.Cluster);
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(ClientDashboard.Url(app, settings)), Timeout = TimeSpan.FromSeconds(60) };
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("api/sweeps")).StatusCode);
        await silo.DisposeAsync();
        using var response = await http.GetAsync("api/sweeps");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.StartsWith("{\n  \"error\": \"cluster unreachable: ", (await response.Content.ReadAsStringAsync()).ReplaceLineEndings("\n"));
        await app.StopAsync();
    }
}
