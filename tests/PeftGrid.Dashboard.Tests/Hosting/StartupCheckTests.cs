using PeftGrid.Client;
using PeftGrid.Dashboard.Hosting;
using PeftGrid.Dashboard.Tests.Api;
using PeftGrid.Grains.Runners;
using PeftGrid.Silo.Hosting;
using Xunit;

namespace PeftGrid.Dashboard.Tests.Hosting;

public class StartupCheckTests
{
    private const string Refusal = "PeftGrid:Dashboard:Host '0.0.0.0' is not a loopback address and no token is set: set PeftGrid:Dashboard:Token or " +
                                   "PeftGrid:Dashboard:TokenFile (PeftGrid__Dashboard__TokenFile), or bind 127.0.0.1, ::1 or localhost";

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("127.3.2.1", true)]
    [InlineData("::1", true)]
    [InlineData("[::1]", true)]
    [InlineData("LocalHost", true)]
    [InlineData("0.0.0.0", false)]
    [InlineData("::", false)]
    [InlineData("10.0.0.5", false)]
    [InlineData("dashboard.example.org", false)]
    [InlineData("*", false)]
    public void LoopbackIs127Slash8AndColonColon1AndLocalhost(string host, bool loopback) =>
        Assert.Equal(loopback, DashboardAccess.IsLoopback(host));

    [Fact]
    public void TheSiloRefusesANonLoopbackHostWithoutAToken()
    {
        var cfg = ApiSilo.Overrides(ApiSilo.FreePort());
        cfg["PeftGrid:Dashboard:Host"] = "0.0.0.0";
        var e = Assert.Throws<ArgumentException>(() => SiloHost.Build([], cfg, new FakeTrialRunner(new FakeRunnerOptions())));
        Assert.Equal(Refusal, e.Message);
    }

    [Fact]
    public void TheSiloBuildsANonLoopbackHostWithAToken()
    {
        var cfg = ApiSilo.Overrides(ApiSilo.FreePort());
        (cfg["PeftGrid:Dashboard:Host"], cfg["PeftGrid:Dashboard:Token"]) = ("0.0.0.0", "secret-token");
        using var host = SiloHost.Build([], cfg, new FakeTrialRunner(new FakeRunnerOptions())); // built, not bound: tests stay on loopback
        Assert.NotNull(host);
    }

    [Fact]
    public async Task TheDashboardCommandsHostRefusesANonLoopbackHostWithoutATokenAndBuildsWithOne()
    {
        await using var silo = await ApiSilo.StartAsync(new FakeRunnerOptions());
        var connection = new ClusterConnection();
        var e = Assert.Throws<ArgumentException>(() => ClientDashboard.Build(new DashboardSettings { Host = "0.0.0.0" }, connection, silo.Client));
        Assert.Equal(Refusal, e.Message);
        await using var app = ClientDashboard.Build(new DashboardSettings { Host = "0.0.0.0", Token = "secret-token" }, connection, silo.Client);
        Assert.NotNull(app);
    }

    [Fact]
    public void BothATokenAndATokenFileAreRefused()
    {
        var e = Assert.Throws<ArgumentException>(() => DashboardAccess.Resolve(new DashboardSettings { Token = "a", TokenFile = "/tmp/b" }));
        Assert.Equal("PeftGrid:Dashboard:Token and PeftGrid:Dashboard:TokenFile are both set: give only one", e.Message);
    }

    [Fact]
    public void TheTokenIsComparedAsABearerTokenOnly()
    {
        var access = DashboardAccess.Resolve(new DashboardSettings { Token = "abc" });
        Assert.Equal(("setting", false), (access.TokenSource, access.ReadOnly));
        Assert.True(access.Allows("Bearer abc"));
        Assert.True(access.Allows("bearer abc "));
        Assert.False(access.Allows("Bearer abcd"));
        Assert.False(access.Allows("Basic abc"));
        Assert.False(access.Allows("abc"));
        Assert.False(access.Allows(null));
        Assert.False(DashboardAccess.Resolve(new DashboardSettings()).Allows("Bearer "));
    }
}
