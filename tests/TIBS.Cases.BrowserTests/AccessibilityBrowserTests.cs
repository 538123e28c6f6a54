using Microsoft.Playwright;

namespace TIBS.Cases.BrowserTests;

/// <summary>
/// Every page, as each role sees it, has no serious or critical accessibility problem (axe-core) and fits a 390 px
/// wide phone screen without sideways scrolling. The jobs dashboard (/jobs) is Hangfire's own page and is not checked.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class AccessibilityBrowserTests(BrowserFixture fixture)
{
    private const int PhoneWidth = 390;

    /// <summary>The problems found on the pages visited so far (all pages are visited, then the test fails with all).</summary>
    private readonly List<string> problems = [];

    internal static async Task SignInAsync(IPage page, string email)
    {
        await page.GotoAsync("/account/sign-in");
        await page.GetByLabel("E-mail").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(BrowserFixture.DemoPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.Locator(".who").WaitForAsync();
    }

    /// <summary>Checks the page as it is now: axe-core, and the width at a phone's 390 px.</summary>
    private async Task CheckAsync(IPage page, string what)
    {
        try
        {
            await AxeChecks.AssertAccessibleAsync(page, what);
        }
        catch (Xunit.Sdk.XunitException e)
        {
            problems.Add(e.Message);
        }

        await page.SetViewportSizeAsync(PhoneWidth, 844);
        var width = await page.EvaluateAsync<int>("() => document.scrollingElement.scrollWidth");
        if (width > PhoneWidth)
        {
            var widest = await page.EvaluateAsync<string>("""
                () => [...document.querySelectorAll('main *')]
                  .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
                  .slice(0, 3).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\s+/).join('.') : '')).join(', ')
                """);
            problems.Add($"{what} ({page.Url}) is {width} px wide at a {PhoneWidth} px screen: {widest}");
        }

        await page.SetViewportSizeAsync(1280, 900);
    }

    private async Task VisitAsync(IPage page, string url, string what)
    {
        var response = await page.GotoAsync(url);
        Assert.True(response is { Ok: true }, $"{what} ({url}) answered {response?.Status}");
        await CheckAsync(page, what);
    }

    private void AssertNoProblems() => Assert.True(problems.Count == 0, string.Join("\n\n", problems));

    /// <summary>Opens a case for the Latvian demo SME (the broker of LV008 is signed in); returns the case page's path.</summary>
    internal static async Task<string> OpenCaseAsync(IPage page)
    {
        await page.GotoAsync("/cases/new");
        await page.Locator("#company").SelectOptionAsync(new SelectOptionValue { Label = "Vidzeme Wood Solutions" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Open the case" }).ClickAsync();
        await page.Locator("#step-heading").WaitForAsync();
        return new Uri(page.Url).AbsolutePath;
    }

    private static async Task CaseActionAsync(IPage page, string key, string label, string reason)
    {
        await page.Locator($"#reason-{key}").FillAsync(reason);
        await page.GetByRole(AriaRole.Button, new() { Name = label, Exact = true }).ClickAsync();
        await page.WaitForLoadStateAsync();
    }

    [SkippableFact]
    public async Task Signing_in_is_accessible_and_a_failed_sign_in_moves_the_focus_to_the_error()
    {
        fixture.EnsureAvailable();
        await fixture.RunInPageAsync("a11y-sign-in", async page =>
        {
            page.SetDefaultTimeout(30_000);
            await VisitAsync(page, "/", "Home page");
            await VisitAsync(page, "/account/sign-in", "Sign-in page");

            await page.GetByLabel("E-mail").FillAsync("coordinator@tibs.example");
            await page.GetByLabel("Password").FillAsync("not the password");
            await page.GetByLabel("Password").PressAsync("Enter");
            await page.GetByRole(AriaRole.Alert).WaitForAsync();

            Assert.Equal("The e-mail address or password is not correct.", await page.EvaluateAsync<string>("() => document.activeElement.innerText.trim()"));
            Assert.Equal("alert", await page.EvaluateAsync<string>("() => document.activeElement.getAttribute('role')"));
            await CheckAsync(page, "Sign-in page after a wrong password");
            AssertNoProblems();
        });
    }

    [SkippableFact]
    public async Task A_brokers_pages_have_no_serious_accessibility_problem_and_fit_a_phone()
    {
        fixture.EnsureAvailable();
        await fixture.RunInPageAsync("a11y-broker", async page =>
        {
            page.SetDefaultTimeout(30_000);
            await SignInAsync(page, "broker.lv008@tibs.example");
            await CheckAsync(page, "Broker's home");
            await VisitAsync(page, "/work", "My work");
            await VisitAsync(page, "/cases/new", "New case");
            var caseUrl = await OpenCaseAsync(page);
            await CheckAsync(page, "Case page at its first step");
            await page.GetByText("Show the diagram").ClickAsync();
            await page.Locator("details.workflow-diagram pre.mermaid svg").WaitForAsync();
            await CheckAsync(page, "Case page with the diagram open");
            await VisitAsync(page, caseUrl + "/partners", "Partner search");
            await VisitAsync(page, "/cases", "Cases list");
            await VisitAsync(page, "/companies", "Companies list");
            await VisitAsync(page, "/companies/new", "New company form");
            await page.Locator("main form button.btn-primary[type=submit]").Last.ClickAsync();
            await page.WaitForLoadStateAsync();
            await CheckAsync(page, "New company form with errors");
            await page.GotoAsync("/companies");
            await page.Locator("a.company-link", new() { HasText = "Vidzeme Wood Solutions" }).First.ClickAsync();
            await page.Locator("#edit-company").WaitForAsync();
            await CheckAsync(page, "Company details");
            await page.Locator("#edit-company").ClickAsync();
            await page.WaitForLoadStateAsync();
            await CheckAsync(page, "Company edit form");
            await VisitAsync(page, "/notifications", "Inbox");
            await VisitAsync(page, "/account/preferences", "Preferences");
            await VisitAsync(page, "/account/profile", "Profile");

            await page.GotoAsync(caseUrl);
            await CaseActionAsync(page, "hold", "Put on hold", "The company is busy with the harvest.");
            await CheckAsync(page, "Case page on hold");
            await CaseActionAsync(page, "withdraw", "Withdraw the case", "The company found a partner on its own.");
            await CheckAsync(page, "Case page of a withdrawn case");
            AssertNoProblems();
        });
    }

    [SkippableFact]
    public async Task A_coordinators_pages_have_no_serious_accessibility_problem_and_fit_a_phone()
    {
        fixture.EnsureAvailable();
        await fixture.RunInPageAsync("a11y-coordinator", async page =>
        {
            page.SetDefaultTimeout(30_000);
            await SignInAsync(page, "broker.lv008@tibs.example");
            var caseUrl = await OpenCaseAsync(page);
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();

            await SignInAsync(page, "coordinator@tibs.example");
            await CheckAsync(page, "Coordinator's home");
            await VisitAsync(page, "/cases", "Cases list");
            await VisitAsync(page, caseUrl, "Case page seen by the coordinator");
            await VisitAsync(page, "/companies", "Companies list");
            await VisitAsync(page, "/definitions", "Definitions");
            await VisitAsync(page, "/definitions/joint-smart-strategy/v2", "Definition version");
            await page.GetByText("Show the diagram").ClickAsync();
            await page.Locator("details.workflow-diagram pre.mermaid svg").WaitForAsync();
            await CheckAsync(page, "Definition version with the diagram open");
            await VisitAsync(page, "/definitions/joint-smart-strategy/draft", "Draft editor");
            await VisitAsync(page, "/definitions/joint-smart-strategy/migrate", "Migration");
            var dryRun = page.GetByRole(AriaRole.Button, new() { Name = "Dry run" });
            if (await dryRun.CountAsync() > 0)
            {
                await dryRun.First.ClickAsync();
                await page.WaitForLoadStateAsync();
                await CheckAsync(page, "Migration dry run");
            }

            await VisitAsync(page, "/audit/verify", "Audit verification");
            await VisitAsync(page, "/notifications", "Inbox");
            await VisitAsync(page, "/account/preferences", "Preferences");
            AssertNoProblems();
        });
    }

    [SkippableFact]
    public async Task An_evaluators_and_an_administrators_pages_have_no_serious_accessibility_problem_and_fit_a_phone()
    {
        fixture.EnsureAvailable();
        await fixture.RunInPageAsync("a11y-evaluator-admin", async page =>
        {
            page.SetDefaultTimeout(30_000);
            await SignInAsync(page, "broker.lv008@tibs.example");
            var caseUrl = await OpenCaseAsync(page);
            await CaseActionAsync(page, "withdraw", "Withdraw the case", "The company closed its export department.");
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();

            await SignInAsync(page, "evaluator@tibs.example");
            await CheckAsync(page, "Evaluator's home");
            await VisitAsync(page, "/cases", "Cases list");
            await VisitAsync(page, caseUrl, "Closed case seen by the evaluator");
            await VisitAsync(page, "/audit/verify", "Audit verification");
            await VisitAsync(page, "/audit/administration-log", "Administration log");
            var verify = page.Locator("main form button[type=submit]");
            if (await verify.CountAsync() > 0)
            {
                await verify.First.ClickAsync();
                await page.WaitForLoadStateAsync();
                await CheckAsync(page, "Audit verification result");
            }

            await VisitAsync(page, "/notifications", "Inbox");
            await VisitAsync(page, "/account/preferences", "Preferences");
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();

            // The jobs dashboard (/jobs) is Hangfire's own page: not checked here.
            await SignInAsync(page, "admin@tibs.example");
            await CheckAsync(page, "Administrator's home");
            await VisitAsync(page, "/admin/users", "Users");
            await VisitAsync(page, "/admin/users?role=broker&status=active", "Users filtered");
            await VisitAsync(page, "/admin/users/invite", "Invite a user");
            await page.Locator("#invite-form button[type=submit]").ClickAsync();
            await page.WaitForLoadStateAsync();
            await CheckAsync(page, "Invite a user with errors");
            await page.GotoAsync("/admin/users");
            await page.Locator("#users tbody tr a").First.ClickAsync();
            await page.WaitForLoadStateAsync();
            await CheckAsync(page, "A user's page");
            await VisitAsync(page, "/audit/administration-log", "Administration log");
            Assert.Equal(404, (await page.GotoAsync("/account/set-password?token=unknown"))?.Status); // a link that does not exist, told in words
            await CheckAsync(page, "Set password with an unknown link");
            await VisitAsync(page, "/audit/verify", "Audit verification");
            await VisitAsync(page, "/notifications", "Inbox");
            await VisitAsync(page, "/account/preferences", "Preferences");
            AssertNoProblems();
        });
    }
}
