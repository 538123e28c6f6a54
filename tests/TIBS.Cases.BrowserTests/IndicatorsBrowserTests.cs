using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using TIBS.Cases.Data;
using TIBS.Cases.IntegrationTests.Indicators;

namespace TIBS.Cases.BrowserTests;

/// <summary>
/// An evaluator opens the indicators page on generated programme data, sees the charts drawn beside their tables,
/// filters by a breakdown, follows a count to the cases behind it; axe finds nothing serious. The page is saved as
/// artifacts/indicators-page.png (the screenshot in docs/images). A server of its own, so other browser tests never see
/// this data.
/// </summary>
[Collection(IndicatorsBrowserCollection.Name)]
public sealed class IndicatorsBrowserTests(BrowserFixture fixture)
{
    [SkippableFact]
    public async Task An_evaluator_filters_the_indicators_and_drills_into_a_count()
    {
        fixture.EnsureAvailable();
        await IndicatorWorld.Generate(seed: 2026).WriteAsync(fixture.Services.GetRequiredService<IDbConnectionFactory>());
        await fixture.RunInPageAsync("indicators", async page =>
        {
            page.SetDefaultTimeout(30_000);
            await page.SetViewportSizeAsync(1280, 900);
            await AccessibilityBrowserTests.SignInAsync(page, "evaluator@tibs.example");
            await page.GetByRole(AriaRole.Link, new() { Name = "Indicators" }).ClickAsync();
            await page.Locator("#indicator-table").WaitForAsync();
            await AxeChecks.AssertAccessibleAsync(page, "indicators");

            await page.GetByLabel("Break down by").SelectOptionAsync("country");
            await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
            await page.Locator("#indicator-table th[data-group]").First.WaitForAsync();
            Assert.Contains("by=country", page.Url, StringComparison.Ordinal);
            await page.WaitForFunctionAsync("() => [...document.querySelectorAll('canvas.indicator-chart')].every(c => c.width > 0 && window.Chart && window.Chart.getChart(c))");
            await AxeChecks.AssertAccessibleAsync(page, "indicators by country");
            await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ArtifactsDirectory, "indicators-page.png"), FullPage = true });

            var link = page.Locator("#indicator-table tr[data-indicator='RCO87'] td[data-value='total'] a");
            var figure = (await link.InnerTextAsync()).Trim();
            await link.ClickAsync();
            await page.Locator("#counted-cases").WaitForAsync();
            Assert.Equal(figure, (await page.Locator("#figure").InnerTextAsync()).Trim());
            Assert.True(await page.Locator("#counted-cases tbody tr").CountAsync() >= int.Parse(figure, System.Globalization.CultureInfo.InvariantCulture) / 3);
            await AxeChecks.AssertAccessibleAsync(page, "cases behind RCO87");

            await page.GotoAsync("/indicators/time-in-step");
            await page.GetByText("Show the diagram").ClickAsync();
            await page.Locator("details.workflow-diagram pre.mermaid svg").WaitForAsync();
            await AxeChecks.AssertAccessibleAsync(page, "time in step");
        });
    }
}

/// <summary>The indicator browser tests run against a server of their own.</summary>
[CollectionDefinition(Name)]
public sealed class IndicatorsBrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "indicators-browser";
}
