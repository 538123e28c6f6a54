using Microsoft.Playwright;

namespace TIBS.Cases.BrowserTests;

/// <summary>The workflow diagram's script (2.7 MB) is fetched only when the reader opens the diagram, which is then drawn.</summary>
[Collection(BrowserCollection.Name)]
public sealed class DiagramBrowserTests(BrowserFixture fixture)
{
    [SkippableFact]
    public async Task The_case_page_fetches_mermaid_only_when_the_diagram_is_opened_and_then_draws_it()
    {
        fixture.EnsureAvailable();
        await fixture.RunInPageAsync("diagram-on-demand", async page =>
        {
            page.SetDefaultTimeout(30_000);
            var requested = new List<string>();
            page.Request += (_, request) => requested.Add(new Uri(request.Url).AbsolutePath);
            await AccessibilityBrowserTests.SignInAsync(page, "broker.lv008@tibs.example");
            await AccessibilityBrowserTests.OpenCaseAsync(page);
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);

            Assert.DoesNotContain(requested, r => r.Contains("mermaid", StringComparison.OrdinalIgnoreCase));
            Assert.Equal(0, await page.Locator("pre.mermaid svg").CountAsync());

            await page.GetByText("Show the diagram").ClickAsync();
            var diagram = page.Locator("details.workflow-diagram pre.mermaid svg");
            await diagram.WaitForAsync();

            Assert.Contains(requested, r => r.StartsWith("/lib/mermaid/mermaid.min.", StringComparison.Ordinal));
            Assert.Contains("Intake", await diagram.TextContentAsync() ?? "", StringComparison.Ordinal);
            Assert.Contains("State diagram of the workflow", await page.Locator("details.workflow-diagram figcaption").InnerTextAsync(), StringComparison.Ordinal);
        });
    }
}
