using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace TIBS.Cases.BrowserTests;

/// <summary>The pages work in Chromium under their Content-Security-Policy: nothing is blocked, diagrams are drawn.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ContentSecurityPolicyBrowserTests(BrowserFixture fixture)
{
    private static async Task SignInAsync(IPage page, string email)
    {
        await page.GotoAsync("/account/sign-in");
        await page.GetByLabel("E-mail").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(BrowserFixture.DemoPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("^[^?#]*/(work|coordination|audit|admin)$"), new() { Timeout = 30_000 }); // each role's home
    }

    /// <summary>Console messages in which Chromium reports a blocked script, style or other resource.</summary>
    private static List<string> CollectViolations(IPage page)
    {
        var violations = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                violations.Add(message.Text);
            }
        };
        return violations;
    }

    [SkippableFact]
    public async Task A_definition_diagram_is_drawn_without_any_policy_violation()
    {
        fixture.EnsureAvailable();
        await fixture.RunInPageAsync("csp-diagram", async page =>
        {
            var violations = CollectViolations(page);
            await SignInAsync(page, "coordinator@tibs.example");

            await page.GotoAsync("/definitions/joint-smart-strategy/v1");
            await page.GetByText("Show the diagram").ClickAsync();
            await page.Locator("pre.mermaid svg").First.WaitForAsync(new() { Timeout = 30_000 });

            Assert.Empty(violations);
        });
    }

    [SkippableFact]
    public async Task The_jobs_dashboard_runs_its_scripts_under_its_own_policy()
    {
        fixture.EnsureAvailable();
        await fixture.RunInPageAsync("csp-jobs", async page =>
        {
            var violations = CollectViolations(page);
            await SignInAsync(page, "admin@tibs.example");

            var response = await page.GotoAsync("/jobs");
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);

            // On failure the page's words (the error page names the request id to find in the log) say why.
            Assert.True(response!.Status == 200, $"/jobs answered {response.Status}: {await page.InnerTextAsync("body")}{Environment.NewLine}The application logged: {fixture.Errors.Last()}");
            Assert.Empty(violations);
        });
    }
}
