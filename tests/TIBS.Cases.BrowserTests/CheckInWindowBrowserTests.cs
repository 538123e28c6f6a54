using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Companies;
using TIBS.Cases.Testing;

namespace TIBS.Cases.BrowserTests;

/// <summary>
/// The follow-up year cannot be skipped: on the case page a check-in says from when it can be recorded until its window
/// opens (14 days before it is due), and is recorded once it has; the follow-up cannot be finished before the last
/// check-in is due, and ending it early asks for a reason that the timeline then shows.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class CheckInWindowBrowserTests(BrowserFixture fixture)
{
    private const string Broker = "broker.lv008@tibs.example";

    private static string Day(DateTimeOffset at) => at.UtcDateTime.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);

    /// <summary>A case of a demo SME at the implementation follow-up, walked through the engine (the journey test walks it in the browser).</summary>
    private async Task<CaseRecord> CaseInFollowUpAsync()
    {
        var services = fixture.Services;
        var users = services.GetRequiredService<IUserStore>();
        var companies = services.GetRequiredService<ICompanyStore>();
        async Task<Actor> ActorAsync(string email)
        {
            var user = (await users.FindByEmailAsync(email))!;
            return user.AsActor();
        }

        async Task<Guid> CompanyAsync(string name) => (await companies.SearchAsync(new CompanySearch { Text = name })).Items.Single(c => c.Name == name).Id;

        var cases = new CaseCommands(services);
        var id = await FollowUpWalk.ToFollowUpAsync(cases, await CompanyAsync("Vidzeme Wood Solutions"), await CompanyAsync("Hamburg Maritime Analytics"),
            await ActorAsync(Broker), await ActorAsync("coordinator@tibs.example"), await ActorAsync("broker.de60@tibs.example"));
        return (await cases.GetDetailsAsync(id))!.Case;
    }

    private static async Task SignInAsync(IPage page)
    {
        await page.GotoAsync("/account/sign-in");
        await page.GetByLabel("E-mail").FillAsync(Broker);
        await page.GetByLabel("Password").FillAsync(BrowserFixture.DemoPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.Locator(".who").WaitForAsync();
    }

    [SkippableFact]
    public async Task A_check_in_waits_for_its_window_and_the_follow_up_ends_early_only_with_a_reason()
    {
        fixture.EnsureAvailable();
        var c = await CaseInFollowUpAsync();
        var signed = c.StepStartedAt;
        await fixture.RunInPageAsync("check-in-window", async page =>
        {
            page.SetDefaultTimeout(30_000);
            await SignInAsync(page);
            await page.GotoAsync($"/cases/{c.Id}");

            // Before the window: the page says from when, and offers no button.
            Assert.Equal("Implementation follow-up", await page.Locator("#step-heading").InnerTextAsync());
            var window = page.Locator("#checkin-quarterly-window");
            Assert.Equal(
                $"Quarterly check-in 1 can be recorded from {Day(signed.AddMonths(3).AddDays(-14))}, 14 days before it is due on {Day(signed.AddMonths(3))}; not earlier.",
                (await window.InnerTextAsync()).Trim());
            Assert.Equal(0, await page.GetByRole(AriaRole.Button, new() { Name = "Record check-in 1" }).CountAsync());
            var finishedWhy = await page.Locator("#step-form li").Filter(new() { HasText = "Follow-up finished" }).InnerTextAsync();
            Assert.Contains($"Possible from {Day(signed.AddMonths(12))}, when the last check-in is due", finishedWhy, StringComparison.Ordinal);
            await AxeChecks.AssertAccessibleAsync(page, "Case page before a check-in window opens");

            // Ten weeks later the window of check-in 1 is open (sessions do not outlive the jump: sign in again).
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
            fixture.Clock.Advance(TimeSpan.FromDays(80));
            await SignInAsync(page);
            await page.GotoAsync($"/cases/{c.Id}");
            var form = page.Locator("form[action*='handler=CheckIn']");
            await form.GetByLabel("Joint action, row 1").FillAsync("Pilot of the shared data platform");
            await form.GetByLabel("Progress, row 1").SelectOptionAsync(new SelectOptionValue { Label = "In progress" });
            await form.GetByLabel("Rating of the cooperation").SelectOptionAsync(new SelectOptionValue { Label = "Valuable contact" });
            await form.GetByRole(AriaRole.Button, new() { Name = "Record check-in 1" }).ClickAsync();
            await page.WaitForLoadStateAsync();

            Assert.Equal(0, await page.Locator("#case-error").CountAsync());
            Assert.Contains("recorded", await page.Locator("section[aria-labelledby='checkin-quarterly'] li").First.InnerTextAsync(), StringComparison.Ordinal);
            Assert.StartsWith("Quarterly check-in 2 can be recorded from", (await window.InnerTextAsync()).Trim(), StringComparison.Ordinal);

            // Ending early without a reason is refused; with one, the timeline shows it.
            var step = page.Locator("#step-form");
            await step.GetByLabel("Implementation status").SelectOptionAsync(new SelectOptionValue { Label = "In progress" });
            await step.GetByRole(AriaRole.Button, new() { Name = "End the follow-up early", Exact = true }).ClickAsync();
            await page.WaitForLoadStateAsync();
            Assert.Contains("'End the follow-up early' needs a reason", await page.Locator("#case-error").InnerTextAsync(), StringComparison.Ordinal);

            await step.GetByLabel("Implementation status").SelectOptionAsync(new SelectOptionValue { Label = "In progress" });
            await step.GetByLabel("Reason, needed for: End the follow-up early").FillAsync("The Hamburg partner was taken over and stops the joint actions.");
            await step.GetByRole(AriaRole.Button, new() { Name = "End the follow-up early", Exact = true }).ClickAsync();
            await page.WaitForLoadStateAsync();

            Assert.Equal("Final evaluation", await page.Locator("#step-heading").InnerTextAsync());
            var latest = page.Locator("ol.timeline li").Filter(new() { HasText = "End the follow-up early" });
            Assert.Contains("Reason: The Hamburg partner was taken over and stops the joint actions.", await latest.InnerTextAsync(), StringComparison.Ordinal);
            await AxeChecks.AssertAccessibleAsync(page, "Case page after ending the follow-up early");
        });
    }
}
