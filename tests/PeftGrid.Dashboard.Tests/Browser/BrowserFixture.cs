using PuppeteerSharp;
using Xunit;
using Xunit.Abstractions;

namespace PeftGrid.Dashboard.Tests.Browser;

/// <summary>
/// One headless Debian chromium per test class, driven through CDP by PuppeteerSharp: the system browser at
/// <see cref="ExecutablePath"/> (never downloaded), a fresh temporary profile, no network chatter of its own.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ExecutablePath = "/usr/bin/chromium";
    private readonly string profile = Path.Combine(Path.GetTempPath(), "peftgrid-chromium-" + Guid.NewGuid().ToString("N")[..8]);

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Assert.True(File.Exists(ExecutablePath), $"{ExecutablePath} is missing: run bash eng/setup.sh (installs Debian's chromium)");
        Directory.CreateDirectory(profile);
        Browser = await Puppeteer.LaunchAsync(new LaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            UserDataDir = profile,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
        });
    }

    /// <summary>A new tab, 1400×900, whose console errors and failed requests go to <paramref name="output"/>.</summary>
    public async Task<IPage> NewPageAsync(ITestOutputHelper output)
    {
        var page = await Browser.NewPageAsync();
        await page.SetViewportAsync(new ViewPortOptions { Width = 1400, Height = 900 });
        page.Console += (_, e) =>
        {
            if (e.Message.Type == ConsoleType.Error) output.WriteLine($"browser console: {e.Message.Text}");
        };
        page.PageError += (_, e) => output.WriteLine($"page error: {e.Message}");
        return page;
    }

    /// <summary>Saves a full-page screenshot to <c>TestResults/screenshots/NAME.png</c> under the test output folder and prints its path.</summary>
    public static async Task<string> ScreenshotAsync(IPage page, string name, ITestOutputHelper output)
    {
        var dir = Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, name + ".png");
        await page.ScreenshotAsync(path, new ScreenshotOptions { FullPage = true });
        output.WriteLine($"screenshot: {path}");
        Console.WriteLine($"screenshot: {path}");
        return path;
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }
        try
        {
            Directory.Delete(profile, recursive: true);
        }
        catch (IOException)
        {
            // chromium may still be writing its profile as it exits; a temp folder left behind is harmless
        }
    }
}
