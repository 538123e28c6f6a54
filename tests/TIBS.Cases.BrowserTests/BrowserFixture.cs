using Microsoft.Playwright;

namespace TIBS.Cases.BrowserTests;

/// <summary>
/// The real application on a real Kestrel port (fresh embedded database with demo data) and the system Chromium
/// driven by Playwright. Set TIBS_CHROMIUM to use another browser binary; TIBS_REQUIRE=browser makes a missing
/// browser a failure instead of a skip.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string DemoPassword = "Browser-Demo-Password-2026";

    private BrowserApp? app;
    private IPlaywright? playwright;

    public static string ChromiumPath => Environment.GetEnvironmentVariable("TIBS_CHROMIUM") is { Length: > 0 } p ? p : "/usr/bin/chromium";

    public static bool Required => (Environment.GetEnvironmentVariable("TIBS_REQUIRE") ?? "")
        .Split(',', StringSplitOptions.TrimEntries).Contains("browser", StringComparer.OrdinalIgnoreCase);

    public bool Available => File.Exists(ChromiumPath);

    public string BaseUrl { get; private set; } = "";

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>The running application's services, to arrange data a test does not walk through in the browser.</summary>
    public IServiceProvider Services => app?.Services ?? throw new InvalidOperationException("The application is not running.");

    /// <summary>What the application logged as errors (level Error and above).</summary>
    public ErrorLog Errors => app?.Errors ?? throw new InvalidOperationException("The application is not running.");

    /// <summary>The folder the application writes its mail into, one <c>.eml</c> file per message.</summary>
    public string MailDirectory => app?.MailDirectory ?? throw new InvalidOperationException("The application is not running.");

    /// <summary>The application's clock: real time plus a shift that tests move forward (check-in windows).</summary>
    public ShiftedClock Clock { get; } = new();

    public static string ArtifactsDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "artifacts");

    public void EnsureAvailable()
    {
        if (Available)
        {
            return;
        }

        if (Required)
        {
            throw new InvalidOperationException($"TIBS_REQUIRE includes 'browser' but there is no Chromium at {ChromiumPath} (apt-get install chromium).");
        }

        Skip.If(true, $"No Chromium at {ChromiumPath}: apt-get install chromium, or set TIBS_CHROMIUM.");
    }

    public async Task InitializeAsync()
    {
        if (!Available)
        {
            return;
        }

        app = await BrowserApp.StartAsync(
        [
            // The journeys sign in as the demo administrator and coordinator with their password only (decision 0040).
            "--Authentication:RequireTwoStepFor=none",

            // The journeys move the clock on by months and years (check-in windows, follow-up), past the demo brokers'
            // training validity; certification has its own tests (decision 0039).
            "--Certification:UncertifiedBrokers=Allowed",
        ], Clock);
        BaseUrl = app.BaseUrl;

        // The machine running the tests may be shared and slow: expectations wait as long as page actions do.
        Assertions.SetDefaultExpectTimeout(30_000);
        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
            ],
        });
        if (Directory.Exists(ArtifactsDirectory))
        {
            Directory.Delete(ArtifactsDirectory, recursive: true);
        }

        Directory.CreateDirectory(ArtifactsDirectory);
    }

    /// <summary>The web project folder (its wwwroot holds the styles and scripts), found from the test binaries.</summary>
    internal static string WebProjectDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "TIBS.Cases.sln")))
            {
                return Path.Combine(dir.FullName, "src", "TIBS.Cases.Web");
            }
        }

        throw new InvalidOperationException("TIBS.Cases.sln not found above " + AppContext.BaseDirectory);
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        playwright?.Dispose();
        if (app is not null)
        {
            await app.DisposeAsync();
        }
    }

    /// <summary>A fresh browser context; the page is screenshotted into artifacts/ under <paramref name="name"/> on failure.</summary>
    public Task RunInPageAsync(string name, Func<IPage, Task> body) => RunInPageAsync(BaseUrl, name, body);

    /// <summary>As <see cref="RunInPageAsync(string, Func{IPage, Task})"/>, against the application at <paramref name="baseUrl"/>.</summary>
    public async Task RunInPageAsync(string baseUrl, string name, Func<IPage, Task> body)
    {
        await using var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseUrl, ViewportSize = new() { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        try
        {
            await body(page);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ArtifactsDirectory, $"{name}.png"), FullPage = true });
        }
        catch
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ArtifactsDirectory, $"{name}-FAILED.png"), FullPage = true });
            throw;
        }
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
