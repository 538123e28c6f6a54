using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace TIBS.Cases.BrowserTests;

/// <summary>Working without losing work, in a real browser: a saved draft comes back; a conflict between two tabs keeps what was typed.</summary>
[Collection(BrowserCollection.Name)]
public sealed class DraftsAndConflictsBrowserTests(BrowserFixture fixture)
{
    private static async Task<string> OpenCaseAsync(IPage page)
    {
        page.SetDefaultTimeout(30_000);
        await page.GotoAsync("/account/sign-in");
        await page.GetByLabel("E-mail").FillAsync("broker.lv008@tibs.example");
        await page.GetByLabel("Password").FillAsync(BrowserFixture.DemoPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.Locator(".who").WaitForAsync();
        await page.GotoAsync("/cases/new");
        await page.Locator("#company").SelectOptionAsync(new SelectOptionValue { Label = "Vidzeme Wood Solutions" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Open the case" }).ClickAsync();
        await page.Locator("#step-heading").WaitForAsync();
        return new Uri(page.Url).AbsolutePath;
    }

    /// <summary>The step form's "Notes" box (the page also has a "Notes" section).</summary>
    private static ILocator Notes(IPage page) => page.Locator("#step-form").GetByRole(AriaRole.Textbox, new() { Name = "Notes", Exact = true });

    [SkippableFact]
    public async Task A_saved_draft_is_there_again_after_leaving_the_case()
    {
        fixture.EnsureAvailable();
        await fixture.RunInPageAsync("draft-comes-back", async page =>
        {
            var caseUrl = await OpenCaseAsync(page);
            await Notes(page).FillAsync("Met the owner; kiln data follows next week");
            await page.GetByRole(AriaRole.Button, new() { Name = "Save draft" }).ClickAsync();
            await page.Locator(".draft-saved").WaitForAsync();

            await page.GetByRole(AriaRole.Link, new() { Name = "Cases", Exact = true }).First.ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("^[^?#]*/cases$"), new() { Timeout = 30_000 });
            await page.GotoAsync(caseUrl);

            Assert.Equal("Met the owner; kiln data follows next week", await Notes(page).InputValueAsync());
            Assert.Matches(@"Draft saved \d\d:\d\d UTC — it is only visible to you\.", await page.Locator(".draft-saved").InnerTextAsync());
            await AxeChecks.AssertAccessibleAsync(page, "Case page with a saved draft");
        });
    }

    [SkippableFact]
    public async Task A_change_made_in_another_tab_is_shown_and_the_typed_input_stays_in_the_form()
    {
        fixture.EnsureAvailable();
        await fixture.RunInPageAsync("conflict-two-tabs", async first =>
        {
            var caseUrl = await OpenCaseAsync(first);
            var second = await first.Context.NewPageAsync();
            second.SetDefaultTimeout(30_000);
            await second.GotoAsync(caseUrl);
            await second.GetByLabel("Attach a file", new() { Exact = false }).SetInputFilesAsync(new FilePayload
            {
                Name = "letter of intent.pdf",
                MimeType = "application/pdf",
                Buffer = "%PDF-1.7\n%browser\n"u8.ToArray(),
            });
            await second.GetByRole(AriaRole.Button, new() { Name = "Upload" }).ClickAsync();
            await second.GetByRole(AriaRole.Link, new() { Name = "letter of intent.pdf" }).WaitForAsync();

            await Notes(first).FillAsync("Typed in the first tab");
            await first.Locator("#step-form button[name=outcome]").First.ClickAsync();
            await first.Locator("#conflict-changes").WaitForAsync();

            Assert.Contains("your input is kept in the form", await first.Locator("#case-error").InnerTextAsync(), StringComparison.Ordinal);
            Assert.Contains("attached letter of intent.pdf", await first.Locator("#conflict-changes").InnerTextAsync(), StringComparison.Ordinal);
            Assert.Equal("Typed in the first tab", await Notes(first).InputValueAsync());
            await AxeChecks.AssertAccessibleAsync(first, "Case page after a conflict");
        });
    }
}
