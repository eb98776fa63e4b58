using System.Net;
using PeftGrid.Dashboard.Hosting;
using PeftGrid.Dashboard.Tests.Api;
using Xunit;

namespace PeftGrid.Dashboard.Tests.Hosting;

public class PageRoutesTests(FinishedSweep sweep) : IClassFixture<FinishedSweep>
{
    [Fact]
    public async Task PathBaseRedirectsToItsSlashWhichServesTheEmbeddedPage()
    {
        using var noRedirect = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = sweep.Silo.Http.BaseAddress };
        using var redirect = await noRedirect.GetAsync("peftgrid");
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        Assert.Equal("/peftgrid/", redirect.Headers.Location!.OriginalString);
        using var page = await noRedirect.GetAsync("peftgrid/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType!.MediaType);
        Assert.Contains("<html", await page.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("app.js", "text/javascript")]
    [InlineData("app.css", "text/css")]
    [InlineData("plot.js", "text/javascript")]
    public async Task AssetsHaveTheirTypeAndAnETagThatAnswers304(string file, string type)
    {
        var http = sweep.Silo.Http;
        using var first = await http.GetAsync($"peftgrid/assets/{file}");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(type, first.Content.Headers.ContentType!.MediaType);
        var etag = first.Headers.ETag!;
        Assert.Equal("no-cache", first.Headers.CacheControl!.ToString());
        using var again = new HttpRequestMessage(HttpMethod.Get, $"peftgrid/assets/{file}");
        again.Headers.IfNoneMatch.Add(etag);
        using var second = await http.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("peftgrid/assets/missing.js")).StatusCode);
    }

    [Fact]
    public void EveryEmbeddedFileIsUnderWwwroot() =>
        Assert.Contains("index.html", EmbeddedAssets.Default.Paths);
}
