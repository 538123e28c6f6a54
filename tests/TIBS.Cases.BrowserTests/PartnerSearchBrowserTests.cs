using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Companies;
using TIBS.Cases.Testing;

namespace TIBS.Cases.BrowserTests;

[Collection(BrowserCollection.Name)]
public sealed class PartnerSearchBrowserTests(BrowserFixture fixture)
{
    private const string Broker = "broker.lv008@tibs.example";

    /// <summary>
    /// A Latvian wood processor whose company record names no S3 area; its case has come through the needs assessment
    /// and the cooperation profile, which name "ICT and digitalisation" and Germany as target country.
    /// </summary>
    private async Task<CaseRecord> CaseWithProfileAsync(string name)
    {
        var services = fixture.Services;
        var user = (await services.GetRequiredService<IUserStore>().FindByEmailAsync(Broker))!;
        var broker = user.AsActor();
        var now = DateTimeOffset.UtcNow;
        var lead = new Company
        {
            Id = Guid.CreateVersion7(),
            Name = name,
            CountryCode = "LV",
            RegionCode = "LV008",
            SizeClass = SizeClasses.Small,
            NaceCodes = ["C16"],
            Languages = "lv, en",
            CreatedAt = now,
            UpdatedAt = now,
        };
        await services.GetRequiredService<ICompanyStore>().InsertAsync(lead);
        var cases = new CaseCommands(services);
        var opened = await cases.OpenCaseAsync(lead.Id, $"{name}: digital drying kilns", broker);
        Assert.True(opened.Succeeded, opened.Message);
        for (var i = 0; i < 12; i++)
        {
            var details = (await cases.GetDetailsAsync(opened.Case!.Id))!;
            var step = details.CurrentStep!;
            var done = step.Key == "cooperation-profile";
            var completed = await cases.CompleteStepAsync(details.Case.Id, details.Case.Version, step.Outcomes[0].Key, FormFiller.Fill(step.Fields, lead.Id), broker);
            Assert.True(completed.Succeeded, $"{step.Key}: {completed.Message}");
            if (done)
            {
                return completed.Case!;
            }
        }

        throw new InvalidOperationException("The cooperation profile was not reached.");
    }

    [SkippableFact]
    public async Task Partner_search_finds_a_Hamburg_SME_through_the_S3_area_of_the_case_profile()
    {
        fixture.EnsureAvailable();
        var @case = await CaseWithProfileAsync("SIA Gaujas Kokapstrāde");
        await fixture.RunInPageAsync("partner-search-s3-profile", async page =>
        {
            page.SetDefaultTimeout(30_000);
            await page.GotoAsync("/account/sign-in");
            await page.GetByLabel("E-mail").FillAsync(Broker);
            await page.GetByLabel("Password").FillAsync(BrowserFixture.DemoPassword);
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            await page.Locator(".who").WaitForAsync();

            // The case is found by its lead company's name typed without accents, in capitals.
            await page.GotoAsync("/cases");
            await page.GetByLabel("Text").FillAsync("KOKAPSTRADE");
            await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
            await page.GetByRole(AriaRole.Link, new() { Name = @case.Reference }).ClickAsync();
            await page.GetByRole(AriaRole.Link, new() { Name = "Partners and expressions of interest" }).ClickAsync();

            // Narrowed to the S3 area by its name, the Hamburg SME is there for the reason the case profile gives.
            await page.GetByLabel("S3 area").SelectOptionAsync(new SelectOptionValue { Label = "ICT and digitalisation (incl. cybersecurity)" });
            await page.GetByLabel("Region").SelectOptionAsync(new SelectOptionValue { Label = "Advanced regions" });
            await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
            var card = page.Locator("#candidates .candidate").Filter(new() { Has = page.GetByRole(AriaRole.Heading, new() { Name = "Hamburg Maritime Analytics" }) });
            await card.WaitForAsync();
            Assert.Contains("ICT and digitalisation (incl. cybersecurity) (from the cooperation profile and the needs assessment)",
                await page.Locator("#profile-s3").InnerTextAsync(), StringComparison.Ordinal);
            Assert.Contains("ICT and digitalisation (incl. cybersecurity)", await card.Locator(".candidate-s3").InnerTextAsync(), StringComparison.Ordinal);
            Assert.Contains("Hamburg (advanced region)", await card.InnerTextAsync(), StringComparison.Ordinal);

            await card.GetByText("Why this score").ClickAsync();
            var s3Row = card.Locator("tr.breakdown").Filter(new() { HasText = "Shared S3 areas" });
            Assert.Equal("Shared S3 areas\t30 / 30\tICT and digitalisation (incl. cybersecurity) (from the cooperation profile and the needs assessment).",
                (await s3Row.InnerTextAsync()).Trim());
            Assert.DoesNotContain("ict-digitalisation", await page.Locator("#candidates").InnerTextAsync(), StringComparison.Ordinal);
            await AxeChecks.AssertAccessibleAsync(page, "Partner search filtered by an S3 area");
        });
    }
}
