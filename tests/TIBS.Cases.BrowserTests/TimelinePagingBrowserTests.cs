using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Companies;
using TIBS.Cases.Testing;

namespace TIBS.Cases.BrowserTests;

/// <summary>
/// A long case in the browser: the timeline shows the latest fifty events and says how many came before; "Show earlier
/// events" is a plain link that shows them, and the way back to the latest ones is a link too.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class TimelinePagingBrowserTests(BrowserFixture fixture)
{
    private const string Broker = "broker.lv008@tibs.example";

    [SkippableFact]
    public async Task Show_earlier_events_shows_the_events_before_the_latest_fifty()
    {
        fixture.EnsureAvailable();
        var services = fixture.Services;
        var user = (await services.GetRequiredService<IUserStore>().FindByEmailAsync(Broker))!;
        var broker = user.AsActor();
        var lead = (await services.GetRequiredService<ICompanyStore>().SearchAsync(new CompanySearch { Text = "Vidzeme Wood Solutions" })).Items
            .Single(c => c.Name == "Vidzeme Wood Solutions").Id;
        var cases = new CaseCommands(services);
        var opened = await cases.OpenCaseAsync(lead, "A long conversation", broker);
        Assert.True(opened.Succeeded, opened.Message);
        for (var n = 1; n <= 54; n++)
        {
            Assert.True((await cases.AddNoteAsync(opened.Case!.Id, $"Call {n} with the lead SME.", broker)).Succeeded);
        }

        await fixture.RunInPageAsync("timeline-paging", async page =>
        {
            page.SetDefaultTimeout(30_000);
            await page.GotoAsync("/account/sign-in");
            await page.GetByLabel("E-mail").FillAsync(Broker);
            await page.GetByLabel("Password").FillAsync(BrowserFixture.DemoPassword);
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            await page.Locator(".who").WaitForAsync();
            await page.GotoAsync($"/cases/{opened.Case!.Id}");

            // 55 events were written (the opening and 54 notes); the host's reminder dispatcher may add its own events
            // to the case meanwhile (the shared clock can be months ahead after other tests), so count from the page.
            Assert.Equal(50, await page.Locator("#timeline > li").CountAsync());
            var earlier = Regex.Match(
                (await page.Locator("#earlier-events").InnerTextAsync()).Trim(), @"^(\d+) earlier events are not shown\. Show earlier events$");
            Assert.True(earlier.Success, "The timeline does not say how many earlier events are not shown.");
            var hidden = int.Parse(earlier.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(hidden, 5, 50);

            // Expect polls the address (and the count) until they match: a wait that begins after the click cannot miss
            // a navigation that finished first.
            await page.GetByRole(AriaRole.Link, new() { Name = "Show earlier events" }).ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("before="), new() { Timeout = 30_000 });
            await Assertions.Expect(page.Locator("#timeline > li")).ToHaveCountAsync(hidden, new() { Timeout = 30_000 });
            Assert.Contains("Case opened", await page.Locator("#timeline > li").Last.InnerTextAsync(), StringComparison.Ordinal);
            Assert.Equal(0, await page.Locator("#earlier-events").CountAsync());
            await page.GetByRole(AriaRole.Link, new() { Name = "Show the latest events" }).ClickAsync();
            await Assertions.Expect(page).Not.ToHaveURLAsync(new Regex("before="), new() { Timeout = 30_000 });
            await Assertions.Expect(page.Locator("#timeline > li")).ToHaveCountAsync(50, new() { Timeout = 30_000 });
        });
    }
}
