namespace TIBS.Cases.BrowserTests;

/// <summary>The structured editor of a step in a browser: a coordinator edits a timer and sees it among the changes.</summary>
[Collection(BrowserCollection.Name)]
public sealed class StepEditorBrowserTests(BrowserFixture fixture)
{
    [SkippableFact]
    public async Task A_coordinator_edits_a_timer_in_the_step_editor_and_sees_it_in_the_changes_against_the_published_version()
    {
        fixture.EnsureAvailable();
        await fixture.RunInPageAsync("step-editor", async page =>
        {
            page.SetDefaultTimeout(30_000);
            await AccessibilityBrowserTests.SignInAsync(page, "coordinator@tibs.example");
            await page.GotoAsync(fixture.BaseUrl + "/definitions/joint-smart-strategy/draft");
            await page.Locator("#steps li[data-step='intake'] a").ClickAsync();
            await page.Locator("#edit-step").WaitForAsync();
            await AxeChecks.AssertAccessibleAsync(page, "step editor");

            // A new timer in the empty last row, saved; then its time changed and saved again.
            var row = await page.Locator("tr.timer").CountAsync() - 1;
            await page.Locator($"#timers-{row}-after").FillAsync("P20BD");
            await page.Locator($"#timers-{row}-action").SelectOptionAsync("escalate");
            await page.Locator($"#timers-{row}-to").FillAsync("coordinator");
            await page.Locator("#save-step").ClickAsync();
            await page.Locator("#step-saved").WaitForAsync();
            await page.Locator($"#timers-{row}-after").FillAsync("P25BD");
            await page.Locator("#save-step").ClickAsync();
            await page.Locator("#step-saved").WaitForAsync();
            Assert.Equal("P25BD", await page.Locator($"#timers-{row}-after").InputValueAsync());
            await AxeChecks.AssertAccessibleAsync(page, "step editor after saving");

            await page.Locator("#changes-link").ClickAsync();
            var changes = await page.Locator("table.changes").InnerTextAsync();
            Assert.Contains("P25BD", changes, StringComparison.Ordinal);
            Assert.DoesNotContain("P20BD", changes, StringComparison.Ordinal);
        });
    }
}
