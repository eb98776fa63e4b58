using PeftGrid.Dashboard;
using Xunit;

namespace PeftGrid.Dashboard.Tests;

public class DashboardSettingsTests
{
    [Fact]
    public void DefaultsServeLoopbackUnderPeftgridWithoutAToken()
    {
        var s = new DashboardSettings();
        Assert.Equal("127.0.0.1", s.Host);
        Assert.Equal("/peftgrid", s.PathBase);
        Assert.Null(s.Token);
        Assert.Equal(3, DashboardSettings.LoopbackHosts.Count);
    }
}
