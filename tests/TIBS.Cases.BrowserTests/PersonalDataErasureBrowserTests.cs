using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Companies;
using TIBS.Cases.Testing;

namespace TIBS.Cases.BrowserTests;

/// <summary>
/// An administrator finds a contact person, reads what will be erased, gives a reason and erases; the broker's case
/// timeline then shows the note as erased and the erasure record, and no longer the person's name.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PersonalDataErasureBrowserTests(BrowserFixture fixture)
{
    private const string Broker = "broker.lv008@tibs.example";
    private const string Admin = "admin@tibs.example";

    [SkippableFact]
    public async Task An_administrator_erases_a_contact_person_and_the_case_timeline_shows_erased()
    {
        fixture.EnsureAvailable();
        var services = fixture.Services;
        var broker = (await services.GetRequiredService<IUserStore>().FindByEmailAsync(Broker))!.AsActor();
        var lead = (await services.GetRequiredService<ICompanyStore>().SearchAsync(new CompanySearch { Text = "Vidzeme Wood Solutions" })).Items
            .Single(c => c.Name == "Vidzeme Wood Solutions").Id;
        var name = $"Ausma Erasable {Guid.NewGuid():N}"[..24];
        var contact = await services.GetRequiredService<AddContact>().HandleAsync(new AddContact.Request(lead, new ContactFields { Name = name, Email = "ausma@example.org" }), broker);
        Assert.True(contact.Succeeded, contact.Message);
        var opened = await new CaseCommands(services).OpenCaseAsync(lead, "A case that names a person", broker);
        Assert.True(opened.Succeeded, opened.Message);
        var note = await services.GetRequiredService<AddNote>().HandleAsync(new AddNote.Request(opened.Case!.Id, $"Met {name} at the fair.", [contact.ContactId!.Value]), broker);
        Assert.True(note.Succeeded, note.Message);

        await fixture.RunInPageAsync("personal-data-erasure", async page =>
        {
            page.SetDefaultTimeout(30_000);
            async Task SignInAsync(string email)
            {
                await page.Context.ClearCookiesAsync();
                await page.GotoAsync("/account/sign-in");
                await page.GetByLabel("E-mail").FillAsync(email);
                await page.GetByLabel("Password").FillAsync(BrowserFixture.DemoPassword);
                await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
                await page.Locator(".who").WaitForAsync();
            }

            await SignInAsync(Admin);
            await page.GotoAsync("/admin");
            await page.GetByRole(AriaRole.Link, new() { Name = "Personal data" }).ClickAsync();
            await page.GetByLabel("Name or e-mail").FillAsync(name);
            await page.GetByRole(AriaRole.Button, new() { Name = "Find contact persons" }).ClickAsync();
            await page.Locator("#contacts").GetByRole(AriaRole.Link, new() { Name = "Erase…" }).ClickAsync();
            Assert.Contains("The text of 1 case note", await page.Locator("#will-erase").InnerTextAsync(), StringComparison.Ordinal);
            await page.GetByLabel("Reason for the erasure").FillAsync("The person asked to be erased.");
            await page.GetByRole(AriaRole.Button, new() { Name = $"Erase {name}'s personal data" }).ClickAsync();
            Assert.Contains("Places erased:", await page.Locator("#erasure-summary").InnerTextAsync(), StringComparison.Ordinal);

            await SignInAsync(Broker);
            await page.GotoAsync($"/cases/{opened.Case!.Id}");
            var timeline = await page.Locator("#timeline").InnerTextAsync();
            Assert.Contains("Personal data erased", timeline, StringComparison.Ordinal);
            Assert.Contains("Erased on ", timeline, StringComparison.Ordinal);
            Assert.DoesNotContain(name, await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        });
    }
}
